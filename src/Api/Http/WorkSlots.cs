using System.Threading.RateLimiting;

namespace BackpropService.Api.Http;

/// <summary>
/// Slots for one kind of costly work, with a bounded line of callers waiting oldest first (the rate-limiting library's
/// <see cref="ConcurrencyLimiter"/>). A caller who finds every slot taken and the line full gets a lease that is not
/// acquired, which <see cref="RateLimitRejection"/> answers with <c>503</c> and <c>Retry-After</c>. One subclass per kind
/// of work says how many slots and how long a line its settings allow.
/// </summary>
public abstract class WorkSlots(int slots, int queue) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = slots,
        QueueLimit = queue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>Slots free now (for tests and diagnostics).</summary>
    public long AvailablePermits => _limiter.GetStatistics()?.CurrentAvailablePermits ?? 0;

    /// <summary>
    /// A slot, waiting in line while there is room in it; the lease says whether it was granted. Dispose it when the work
    /// is done. Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires in line.
    /// </summary>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    /// <summary>Slots free, callers waiting.</summary>
    public RateLimiterStatistics? GetStatistics() => _limiter.GetStatistics();

    public void Dispose()
    {
        _limiter.Dispose();
        GC.SuppressFinalize(this);
    }
}
