using BackpropService.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Training;

/// <summary>
/// Keeps a run's lease for as long as it trains: every third of the lease, on a timer of its own (one epoch may take
/// longer than the whole lease), it moves the expiry on and reads the job's cancel flag, so that a cancel sent to any
/// process stops the run. When a renewal finds the lease gone, <see cref="Lost"/> fires and the run stops. A renewal
/// the database refuses is tried again at the next tick; the lease lasts three ticks.
/// </summary>
public sealed partial class LeaseRenewal : IDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private LeaseRenewal(JobLease lease, IDbContextFactory<BackpropDbContext> dbFactory, CancellationTokenSource userCancel, ILogger logger) =>
        _loop = Task.Run(() => RenewAsync(lease, dbFactory, userCancel, logger));

    public static LeaseRenewal Start(JobLease lease, IDbContextFactory<BackpropDbContext> dbFactory, CancellationTokenSource userCancel,
        ILogger logger) => new(lease, dbFactory, userCancel, logger);

    /// <summary>Cancelled once a renewal has found that this run no longer holds the job.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    private async Task RenewAsync(JobLease lease, IDbContextFactory<BackpropDbContext> dbFactory, CancellationTokenSource userCancel, ILogger logger)
    {
        using var timer = new PeriodicTimer(lease.Duration / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await using var db = await dbFactory.CreateDbContextAsync(_stop.Token);
                    if (!await lease.RenewAsync(db, _stop.Token))
                    {
                        _lost.Cancel();
                        return;
                    }
                    if (await lease.CancelRequestedAsync(db, _stop.Token)) userCancel.Cancel();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRenewalFailed(logger, e, lease.JobId);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    /// <summary>Stops renewing (the run is over) and waits for a renewal under way to end.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _loop.GetAwaiter().GetResult();
        _stop.Dispose();
        _lost.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease on job {JobId}; trying again at the next renewal.")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string jobId);
}
