using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// Claims queued jobs from the jobs table in submission order and trains each on a dedicated thread,
/// <see cref="TrainingWorkerOptions.Concurrency"/> at a time. Woken by <see cref="JobSignal"/>, and polls
/// now and then as well (see <see cref="TrainingWorkerOptions.PollSeconds"/>). On start, jobs a previous
/// process left running go back to the queue, ahead of the jobs submitted after them, and resume from
/// their checkpoints. While the database refuses the worker's writes (<see cref="StorageOutage"/>), it claims nothing.
/// <para>
/// One service process per database file is the supported mode: start-up takes every <c>running</c> row
/// to be an orphan of a previous process, so a second live process on the same file would requeue, and
/// train a second time, the jobs the first one is training.
/// </para>
/// </summary>
public sealed partial class TrainingWorker(
    IDbContextFactory<BackpropDbContext> dbFactory,
    JobSignal signal,
    JobRunner runner,
    StorageOutage storageOutage,
    StorageRecovery storageRecovery,
    IOptions<TrainingWorkerOptions> options,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await RequeueInterruptedJobsAsync(stoppingToken);
        var slots = Enumerable.Range(0, options.Value.Concurrency).Select(_ => RunSlotAsync(stoppingToken));
        await Task.WhenAll(slots);
    }

    /// <summary>
    /// Every <c>running</c> row was left by a previous process (one process per database file), so it
    /// goes back to the queue; its checkpoint lets it resume.
    /// </summary>
    private async Task RequeueInterruptedJobsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        int requeued = await db.Jobs.Where(j => j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Queued), cancellationToken);
        if (requeued > 0) LogRequeued(logger, requeued);
    }

    private async Task RunSlotAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            string? jobId;
            try
            {
                if (storageOutage.RecoveryDue) await storageRecovery.WriteHeldBackAsync(stoppingToken);
                // A job claimed now would train an epoch only to lose it: wait until the database takes writes again.
                jobId = storageOutage.ClaimsPaused ? null : await ClaimNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogClaimFailed(logger, e);
                await Task.Delay(poll, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }

            if (jobId is null)
            {
                try
                {
                    await signal.WaitAsync(poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }

            // More jobs may be waiting: let another idle slot look.
            signal.Notify();
            try
            {
                await TrainOnDedicatedThreadAsync(jobId, stoppingToken);
            }
            catch (Exception e)
            {
                LogJobCrashed(logger, e, jobId);
                // A row left running would never be picked up again while this process lives (only a
                // restart requeues it): fail it, unless we are stopping and the next start resumes it, or
                // the database refused a read for a moment and the job can resume once it answers again.
                if (stoppingToken.IsCancellationRequested) continue;
                if (TransientStorageErrors.IsTransient(e)) runner.ReturnToQueue(jobId, e, unsaved: null);
                else runner.MarkFailed(jobId, JobRunner.InternalError(jobId));
            }
        }
    }

    /// <summary>Atomically moves the oldest queued job to running; null when the queue is empty.</summary>
    private async Task<string?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            var candidate = await db.Jobs.AsNoTracking()
                .QueuedInClaimOrder()
                .Select(j => j.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (candidate is null) return null;

            var now = DateTime.UtcNow;
            // Guarded by status: if another slot of this process got there first, nothing changes.
            int claimed = await db.Jobs
                .Where(j => j.Id == candidate && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, JobStatus.Running)
                    .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now), cancellationToken);
            if (claimed == 1) return candidate;
        }
    }

    /// <summary>Training is long CPU work: it gets its own thread instead of a thread-pool thread.</summary>
    private Task TrainOnDedicatedThreadAsync(string jobId, CancellationToken stoppingToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                runner.Run(jobId, stoppingToken);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = $"training {jobId}",
        };
        thread.Start();
        return done.Task;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} job(s) interrupted by the last shutdown are queued again and resume from their checkpoints.")]
    private static partial void LogRequeued(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not claim the next job; retrying.")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} crashed its training thread.")]
    private static partial void LogJobCrashed(ILogger logger, Exception exception, string jobId);
}
