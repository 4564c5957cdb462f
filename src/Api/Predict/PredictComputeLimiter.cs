using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Predict;

/// <summary>
/// Bounds the predictions computed at once (<see cref="PredictLimits.Concurrency"/>, with a queue of
/// <see cref="PredictLimits.QueueLength"/>). Taken around the compute only, after the body has arrived and the model is
/// resolved: a client that sends its body slowly holds no slot, so a few slow clients cannot starve everyone's compute.
/// </summary>
public sealed class PredictComputeLimiter(IOptions<PredictLimits> options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.Concurrency,
        QueueLimit = options.Value.QueueLength,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>The detail of the 503 a request gets when every slot and the queue are taken.</summary>
    public string Description { get; } = options.Value.ConcurrencyDescription;

    /// <summary>
    /// A slot, waiting in the queue if all are taken; a lease that is not acquired when the queue is full too.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires while queued.
    /// </summary>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    /// <summary>Slots free, predictions waiting.</summary>
    public RateLimiterStatistics? GetStatistics() => _limiter.GetStatistics();

    public void Dispose() => _limiter.Dispose();
}
