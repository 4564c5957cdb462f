using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// Claims queued jobs from the jobs table (round-robin between the keys that submitted them, see
/// <see cref="JobQueries.QueuedInClaimOrder"/>), each with a lease (<see cref="JobLease"/>), and trains each on a
/// dedicated thread, <see cref="TrainingWorkerOptions.Concurrency"/> at a time. Woken by <see cref="JobSignal"/>, and
/// polls now and then as well (see <see cref="TrainingWorkerOptions.PollSeconds"/>). While the database refuses the
/// worker's writes (<see cref="StorageOutage"/>), it claims nothing.
/// <para>
/// Several worker processes may share one PostgreSQL database: the claims do not collide, and every write of a run is
/// fenced by its lease. A sweep, at start-up and then every third of <see cref="TrainingWorkerOptions.LeaseSeconds"/>,
/// puts the jobs whose lease ran out (their worker died or hung) back in the queue, ahead of the jobs submitted after
/// them, to resume from their checkpoints on any worker; one that has used all its attempts
/// (<see cref="TrainingWorkerOptions.MaxAttempts"/>) fails instead, keeping its best model.
/// </para>
/// </summary>
public sealed partial class TrainingWorker(
    IDbContextFactory<BackpropDbContext> dbFactory,
    JobSignal signal,
    JobRunner runner,
    WorkerLeases leases,
    ITrainingEvents events,
    StorageOutage storageOutage,
    StorageRecovery storageRecovery,
    IOptions<TrainingWorkerOptions> options,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    private TimeSpan LeaseDuration => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        LogStarted(logger, leases.WorkerId, options.Value.LeaseSeconds);
        await SweepOrphansAsync(atStartUp: true, stoppingToken);
        var slots = Enumerable.Range(0, options.Value.Concurrency).Select(_ => RunSlotAsync(stoppingToken));
        await Task.WhenAll(slots.Append(SweepPeriodicallyAsync(stoppingToken)));
    }

    private async Task SweepPeriodicallyAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(LeaseDuration / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepOrphansAsync(atStartUp: false, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// Puts the orphaned running jobs (<see cref="JobLease.IsOrphaned"/>: their lease ran out, or a graceful stop
    /// released it) back in the queue; their checkpoints let them resume, and the lost run counts as an attempt. A job
    /// whose every attempt ended that way was most likely what ended those workers: training it again would end the
    /// next one too. It fails, keeping its best model, and the jobs behind it go on. This process's own live runs are
    /// passed over even if a renewal came late (<see cref="WorkerLeases.HeldOwners"/>).
    /// <para>
    /// At start-up on SQLite every <c>running</c> row is an orphan, whatever its lease says: one SQLite file has one
    /// training process (other processes on it may serve the API, but train nothing), so such a row was left by a
    /// previous process on this file that was killed before it could release it (a graceful stop releases its leases). Not waiting for that lease to run out lets the embedded default
    /// resume at once after a kill -9. On PostgreSQL, where several processes share the database, only run-out leases
    /// count, at start-up too.
    /// </para>
    /// </summary>
    private async Task SweepOrphansAsync(bool atStartUp, CancellationToken cancellationToken)
    {
        int maxAttempts = options.Value.MaxAttempts;
        DateTime judgedAt;
        List<(string Id, int Attempts)> orphans;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Every lease has run out by the end of time.
            judgedAt = atStartUp && db.Database.IsSqlite() ? DateTime.MaxValue : DateTime.UtcNow;
            var ours = leases.HeldOwners;
            orphans = (await db.Jobs.AsNoTracking().Where(JobLease.IsOrphaned(judgedAt))
                    .Where(j => j.LeaseOwner == null || !ours.Contains(j.LeaseOwner))
                    .Select(j => new { j.Id, j.Attempts }).ToListAsync(cancellationToken))
                .Select(j => (j.Id, j.Attempts)).ToList();
        }

        int requeued = 0;
        foreach (var (jobId, attempts) in orphans)
        {
            if (attempts < maxAttempts)
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                if (!await JobLease.RequeueOrphanAsync(db, jobId, judgedAt, cancellationToken)) continue;
                requeued++;
                if (await db.GetJobAsync(jobId, cancellationToken) is { } job) events.Publish(new JobUpdatedEvent(job));
            }
            else
            {
                await FailExhaustedAsync(jobId, attempts, judgedAt, cancellationToken);
            }
        }
        if (requeued == 0) return;
        LogRequeued(logger, requeued);
        signal.Notify();
    }

    private async Task FailExhaustedAsync(string jobId, int attempts, DateTime judgedAt, CancellationToken cancellationToken)
    {
        JobLease? lease;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            lease = await JobLease.TakeOverAsync(db, jobId, judgedAt, leases.NextOwner(), LeaseDuration, cancellationToken);
        if (lease is null) return;
        leases.Hold(lease);
        try
        {
            // Storing the model reads the dataset and the checkpoint: long work, on its own thread like training.
            await OnDedicatedThreadAsync($"failing {jobId}", () => runner.FailInterrupted(lease, attempts, cancellationToken));
        }
        finally
        {
            leases.Drop(lease);
        }
    }

    private async Task RunSlotAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            JobLease? lease;
            try
            {
                if (storageOutage.RecoveryDue) await storageRecovery.WriteHeldBackAsync(stoppingToken);
                // A job claimed now would train an epoch only to lose it: wait until the database takes writes again.
                lease = storageOutage.ClaimsPaused ? null : await ClaimNextAsync(stoppingToken);
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

            if (lease is null)
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
                await OnDedicatedThreadAsync($"training {lease.JobId}", () => runner.Run(lease, stoppingToken));
            }
            catch (Exception e)
            {
                LogJobCrashed(logger, e, lease.JobId);
                // A row left running would wait for its lease to run out: fail it, unless we are stopping and the next
                // start resumes it, or the database refused a read for a moment and the job can resume once it answers again.
                if (stoppingToken.IsCancellationRequested) continue;
                if (TransientStorageErrors.IsTransient(e)) runner.ReturnToQueue(lease, e, unsaved: null);
                else runner.MarkFailed(lease, JobRunner.InternalError(lease.JobId));
            }
            finally
            {
                leases.Drop(lease);
            }
        }
    }

    /// <summary>Claims the next queued job in claim order (fair between keys) with a lease of this process; null when the queue is empty.</summary>
    private async Task<JobLease?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lease = await JobLease.ClaimNextAsync(db, leases.NextOwner(), LeaseDuration, cancellationToken);
        if (lease is not null) leases.Hold(lease);
        return lease;
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} starts; its leases last {LeaseSeconds} s.")]
    private static partial void LogStarted(ILogger logger, string workerId, int leaseSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} job(s) left running by a stopped or lost worker are queued again and resume from their checkpoints.")]
    private static partial void LogRequeued(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for jobs whose lease ran out; trying again later.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not claim the next job; retrying.")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} crashed its training thread.")]
    private static partial void LogJobCrashed(ILogger logger, Exception exception, string jobId);
}
