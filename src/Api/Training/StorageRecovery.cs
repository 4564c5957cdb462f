using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Training;

/// <summary>
/// Ends a <see cref="StorageOutage"/>: writes what it held back, which is also the test of whether the database takes
/// the same writes again. Jobs left <c>running</c> go back to the queue; an epoch whose write failed is stored for its
/// job (still queued at the epoch before), so the job resumes after it instead of training it again. When all of it
/// went through, the outage is over and the worker claims jobs again; a failure starts another pause.
/// </summary>
public sealed partial class StorageRecovery(
    IDbContextFactory<BackpropDbContext> dbFactory,
    StorageOutage outage,
    ITrainingEvents events,
    ILogger<StorageRecovery> logger)
{
    /// <summary>1 while a slot of the worker runs <see cref="WriteHeldBackAsync"/>: two writing the same epoch would only collide.</summary>
    private int _running;

    public async Task WriteHeldBackAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1) return;
        try
        {
            foreach (var lease in outage.JobsLeftRunning)
            {
                await RequeueAsync(lease, cancellationToken);
                outage.ForgetJobLeftRunning(lease.JobId);
            }
            foreach (var epoch in outage.UnsavedEpochs)
            {
                await StoreAsync(epoch, cancellationToken);
                outage.Forget(epoch);
            }
            if (outage.ClaimsPaused) LogRecovered(logger);
            outage.WriteSucceeded();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            LogStillFailing(logger, e, TransientStorageErrors.Describe(e));
            outage.Report(e);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task RequeueAsync(JobLease lease, CancellationToken cancellationToken)
    {
        bool requeued;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Meanwhile its lease may have run out and another worker taken it over.
            requeued = await lease.ReturnToQueueAsync(db, cancellationToken);
        }
        if (requeued) await PublishJobAsync(lease.JobId, cancellationToken);
    }

    private async Task StoreAsync(UnsavedEpoch epoch, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Meanwhile it may have been cancelled or deleted, or claimed and trained on from its checkpoint.
            bool stored = await db.TryStoreEpochAsync(epoch.Metrics, epoch.Checkpoint,
                (fenced, ct) => JobLease.AdvanceUnleasedAsync(fenced, epoch.JobId, epoch.Metrics.Epoch, ct), cancellationToken);
            if (!stored) return;
        }
        events.Publish(new EpochCompletedEvent(epoch.Metrics));
        await PublishJobAsync(epoch.JobId, cancellationToken);
    }

    private async Task PublishJobAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.GetJobAsync(jobId, cancellationToken) is { } job) events.Publish(new JobUpdatedEvent(job));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The database takes writes again; the worker claims jobs again.")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database still refuses writes ({Reason}); the worker claims no job and tries again later.")]
    private static partial void LogStillFailing(ILogger logger, Exception exception, string reason);
}
