using BackpropService.Api.Http;
using BackpropService.Api.Options;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Datasets;

/// <summary>
/// Bounds the requests that read a whole dataset and compute over it (preview, decision boundary, evaluate): at most
/// <see cref="ServiceLimits.DatasetReadConcurrency"/> at a time, <see cref="ServiceLimits.DatasetReadQueue"/> more
/// waiting in arrival order, and past that <c>503</c> with <c>Retry-After</c>. So a burst of them cannot hold many
/// datasets' worth of memory at once or take every thread from the rest of the service. Used as an endpoint filter,
/// so it counts only requests that passed authorization.
/// </summary>
public sealed class DatasetReadLimiter(IOptions<ServiceLimits> limits)
    : WorkSlots(limits.Value.DatasetReadConcurrency, limits.Value.DatasetReadQueue), IEndpointFilter
{
    /// <summary>What a refused caller is told to wait, in seconds: about one such read.</summary>
    public const int RetryAfterSeconds = 2;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var lease = await AcquireAsync(http.RequestAborted);
        if (!lease.IsAcquired)
        {
            return RateLimitRejection.Answer(http.Response, lease,
                "Too many requests that read whole datasets are running or waiting (Limits:DatasetReadConcurrency, Limits:DatasetReadQueue)",
                TimeSpan.FromSeconds(RetryAfterSeconds));
        }
        return await next(context);
    }
}
