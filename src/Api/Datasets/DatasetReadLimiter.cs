using System.Threading.RateLimiting;
using BackpropService.Api.Apis;
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
public sealed class DatasetReadLimiter : IEndpointFilter, IDisposable
{
    /// <summary>What a refused caller is told to wait, in seconds: about one such read.</summary>
    public const int RetryAfterSeconds = 2;

    private readonly ConcurrencyLimiter _limiter;

    public DatasetReadLimiter(IOptions<ServiceLimits> limits) => _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
    {
        PermitLimit = limits.Value.DatasetReadConcurrency,
        QueueLimit = limits.Value.DatasetReadQueue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>Permits free now (for tests and diagnostics).</summary>
    public long AvailablePermits => _limiter.GetStatistics()?.CurrentAvailablePermits ?? 0;

    /// <summary>Takes one turn, waiting in line while there is room in it; the lease says whether it was granted.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var lease = await AcquireAsync(http.RequestAborted);
        if (!lease.IsAcquired)
        {
            return ApiProblems.Busy(http.Response, TimeSpan.FromSeconds(RetryAfterSeconds),
                $"Too many requests that read whole datasets are running or waiting (Limits:DatasetReadConcurrency, Limits:DatasetReadQueue); "
                + $"try again in {RetryAfterSeconds} seconds.");
        }
        return await next(context);
    }

    public void Dispose() => _limiter.Dispose();
}
