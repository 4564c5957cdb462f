using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Http;

/// <summary>
/// The one answer to a request a rate or concurrency limiter refused, for every limiter of the service (the
/// middleware's <see cref="RateLimiterOptions.OnRejected"/> and limiters taken inside endpoints). The limiter's kind
/// gives the status: a rate limiter (token bucket, windows) says in its lease when a permit comes back, which is the
/// caller's own doing: <c>429</c>; a concurrency limiter does not, which means the service is busy: <c>503</c>.
/// Either way a <c>Retry-After</c> header (whole seconds, at least 1) and problem details naming the limit and its
/// settings.
/// </summary>
public static class RateLimitRejection
{
    /// <summary>Seconds a caller refused by a concurrency limiter is told to wait: slots free as soon as computations end.</summary>
    private const int BusyRetryAfterSeconds = 1;

    /// <summary>For <see cref="RateLimiterOptions.OnRejected"/>: describes the endpoint's policy.</summary>
    public static ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        string? policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        var descriptions = http.RequestServices.GetRequiredService<IOptions<RateLimitPolicyDescriptions>>().Value;
        return WriteAsync(http, context.Lease, descriptions.Describe(policy));
    }

    /// <summary>Answers <paramref name="context"/> for the refused <paramref name="lease"/>; <paramref name="limit"/> says what the limit allows.</summary>
    public static async ValueTask WriteAsync(HttpContext context, RateLimitLease lease, string limit) =>
        await Answer(context.Response, lease, limit).ExecuteAsync(context);

    /// <summary>
    /// The answer for the refused <paramref name="lease"/>, for an endpoint to return (sets <c>Retry-After</c> on
    /// <paramref name="response"/>). <paramref name="busyRetryAfter"/>: what a caller refused by a concurrency limiter is
    /// told to wait, about one unit of the work it guards (default 1 s).
    /// </summary>
    public static ProblemHttpResult Answer(HttpResponse response, RateLimitLease lease, string limit, TimeSpan? busyRetryAfter = null)
    {
        bool overRate = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter);
        if (!overRate) retryAfter = busyRetryAfter ?? TimeSpan.FromSeconds(BusyRetryAfterSeconds);
        int seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: overRate ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable,
            title: overRate ? "Too many requests." : "The service is busy.",
            detail: $"{limit}. Retry after {seconds} s (the Retry-After header).",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }
}
