using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// Claims queued jobs from the jobs table (round-robin between the keys that submitted them, see
/// <see cref="JobQueries.QueuedInClaimOrder"/>) and trains each on a dedicated thread,
/// <see cref="TrainingWorkerOptions.Concurrency"/> at a time. Woken by <see cref="JobSignal"/>, and polls
/// now and then as well (see <see cref="TrainingWorkerOptions.PollSeconds"/>). On start, jobs a previous
/// process left running go back to the queue, ahead of the jobs submitted after them, and resume from
/// their checkpoints; one that has used all its attempts (<see cref="TrainingWorkerOptions.MaxAttempts"/>)
/// fails instead, keeping its best model. While the database refuses the worker's writes
/// (<see cref="StorageOutage"/>), it claims nothing.
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
        await RecoverInterruptedJobsAsync(stoppingToken);
        var slots = Enumerable.Range(0, options.Value.Concurrency).Select(_ => RunSlotAsync(stoppingToken));
        await Task.WhenAll(slots);
    }

    /// <summary>
    /// Every <c>running</c> row was left by a previous process (one process per database file), so it
    /// goes back to the queue; its checkpoint lets it resume. A row whose every attempt ended that way was
    /// most likely what ended those processes: training it again would end this one too, at every start.
    /// It fails, keeping its best model, and the jobs behind it go on.
    /// </summary>
    private async Task RecoverInterruptedJobsAsync(CancellationToken cancellationToken)
    {
        int maxAttempts = options.Value.MaxAttempts;
        List<(string Id, int Attempts)> exhausted;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            int requeued = await db.Jobs.Where(j => j.Status == JobStatus.Running && j.Attempts < maxAttempts)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Queued), cancellationToken);
            if (requeued > 0) LogRequeued(logger, requeued);
            exhausted = (await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Running)
                .Select(j => new { j.Id, j.Attempts }).ToListAsync(cancellationToken))
                .Select(j => (j.Id, j.Attempts)).ToList();
        }
        // Storing the model reads the dataset and the checkpoint: long work, on its own thread like training.
        foreach (var (jobId, attempts) in exhausted)
            await OnDedicatedThreadAsync($"failing {jobId}", () => runner.FailInterrupted(jobId, attempts, cancellationToken));
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

    /// <summary>Atomically moves the next queued job (in claim order: fair between keys) to running; null when the queue is empty.</summary>
    private async Task<string?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            var candidate = await db.QueuedInClaimOrder()
                .Select(j => j.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (candidate is null) return null;

            var now = DateTime.UtcNow;
            // Guarded by status: if another slot of this process got there first, nothing changes.
            int claimed = await db.Jobs
                .Where(j => j.Id == candidate && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, JobStatus.Running)
                    .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                    .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now), cancellationToken);
            if (claimed == 1) return candidate;
        }
    }

    private Task TrainOnDedicatedThreadAsync(string jobId, CancellationToken stoppingToken) =>
        OnDedicatedThreadAsync($"training {jobId}", () => runner.Run(jobId, stoppingToken));

    /// <summary>Training is long CPU work: it gets its own thread instead of a thread-pool thread.</summary>
    private static Task OnDedicatedThreadAsync(string threadName, Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = threadName,
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
