using Microsoft.AspNetCore.Http.HttpResults;

namespace BackpropService.Api.Apis;

/// <summary>
/// Problem-details answers shared by the endpoint classes. Like validation problems they carry an
/// <c>errors</c> map keyed by the field (or route value) concerned, so every 4xx names what to fix.
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what, string id) => Problem(
        StatusCodes.Status404NotFound, $"{what} not found.", "id", $"There is no {what.ToLowerInvariant()} with id '{id}'.");

    /// <summary>A 404 that names <paramref name="field"/> and says in <paramref name="detail"/> what exists instead.</summary>
    public static ProblemHttpResult NotFound(string what, string field, string detail) => Problem(
        StatusCodes.Status404NotFound, $"{what} not found.", field, detail);

    public static ProblemHttpResult Conflict(string detail, string field = "id") => Problem(
        StatusCodes.Status409Conflict, "Not possible in the current state.", field, detail);

    /// <summary>403 for a train key that tries to cancel or delete what another key created.</summary>
    public static ProblemHttpResult NotOwner(string what, string id, string? ownerName) => Problem(
        StatusCodes.Status403Forbidden, "Only its creator or an admin may do this.", "id",
        $"The {what.ToLowerInvariant()} '{id}' was created by {(ownerName is null ? "no key (before access control)" : $"the key '{ownerName}'")}; "
        + "a train key may cancel or delete only what it created. Ask its creator or someone with the 'admin' scope.");

    public static ProblemHttpResult TooLarge(long limit) => Problem(
        StatusCodes.Status413PayloadTooLarge, "The upload is too large.", "body",
        $"Uploads may be at most {limit:N0} bytes (configuration: Limits:MaxUploadBytes).");

    /// <summary>
    /// 429 for a key that already has <paramref name="limit"/> jobs queued. No Retry-After: a place frees up when one
    /// of the key's queued jobs starts, which depends on the jobs ahead of it, or when the caller cancels one.
    /// </summary>
    public static ProblemHttpResult TooManyQueuedJobs(int limit) => Problem(
        StatusCodes.Status429TooManyRequests, "Too many queued jobs.", "queuedJobs",
        $"This key already has {limit:N0} jobs queued, the most one key may have (Limits:MaxQueuedJobsPerKey). "
        + "Submit more once some have started, or cancel queued ones (GET /api/jobs?status=queued lists them).",
        new Dictionary<string, object?> { ["limit"] = limit, ["setting"] = "Limits:MaxQueuedJobsPerKey" });

    /// <summary>
    /// 429 for a sweep whose jobs would take the key past <paramref name="limit"/> queued jobs: none of them is queued
    /// (all or nothing), so the caller can cancel some queued jobs or ask for fewer points, and submit it again.
    /// </summary>
    public static ProblemHttpResult TooManyQueuedJobs(int limit, int queued, int adding) => Problem(
        StatusCodes.Status429TooManyRequests, "Too many queued jobs.", "queuedJobs",
        $"This key has {queued:N0} jobs queued; the sweep's {adding:N0} jobs would make {queued + adding:N0}, more than the "
        + $"{limit:N0} one key may have (Limits:MaxQueuedJobsPerKey). None of them was queued: ask for fewer points, or cancel "
        + "queued jobs (GET /api/jobs?status=queued lists them) and submit the sweep again.",
        new Dictionary<string, object?> { ["limit"] = limit, ["setting"] = "Limits:MaxQueuedJobsPerKey" });

    public static ProblemHttpResult UnsupportedMediaType(string detail) => Problem(
        StatusCodes.Status415UnsupportedMediaType, "Unsupported content type.", "body", detail);

    private static ProblemHttpResult Problem(int status, string title, string field, string detail,
        Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);
    }
}
