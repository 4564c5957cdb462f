using Microsoft.AspNetCore.Http.HttpResults;

namespace BackpropService.Api.Apis;

/// <summary>Problem-details answers shared by the endpoint classes.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what, string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: $"{what} not found.",
        detail: $"There is no {what.ToLowerInvariant()} with id '{id}'.");

    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "Not possible in the current state.", detail: detail);

    public static ProblemHttpResult TooLarge(long limit) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "The upload is too large.",
        detail: $"Uploads may be at most {limit:N0} bytes (configuration: Limits:MaxUploadBytes).");

    public static ProblemHttpResult UnsupportedMediaType(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type.", detail: detail);
}
