using System.Diagnostics;
using System.Text.Json;
using BackpropService.Api.Datasets;
using BackpropService.Api.Mapping;
using BackpropService.Api.Models;
using BackpropService.Api.Observability;
using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using BackpropService.Engine.Data;
using BackpropService.Engine.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using EpochMetrics = BackpropService.Contracts.EpochMetrics;

namespace BackpropService.Api.Training;

/// <summary>
/// Trains one claimed job, synchronously, on the caller's (dedicated) thread. After every epoch the
/// metrics row and the checkpoint are stored in one transaction, then the epoch is published. A job
/// with a checkpoint resumes from it. Shutdown leaves the job running without a lease, so the next start (or another
/// worker) resumes it.
/// <para>
/// The run holds the job by its <see cref="JobLease"/>, renewed meanwhile (<see cref="LeaseRenewal"/>); every write of
/// the run is fenced by it. A run that lost its lease (it was paused while another worker took the job over) stops and
/// writes nothing more.
/// </para>
/// Cancel, and the failures that stop a job that trains well (<see cref="TrainingWorkerOptions.MaxRunTime"/>,
/// <see cref="TrainingWorkerOptions.MaxAttempts"/>), keep the best model so far.
/// <para>
/// Writes that the database refuses for a moment are tried again (<see cref="StorageWriteRetry"/>); when it keeps
/// refusing them the job goes back to the queue instead of failing, and the worker pauses (<see cref="StorageOutage"/>).
/// An internal error fails the job with a message for people (<see cref="InternalError"/>); the log has the exception.
/// </para>
/// </summary>
public sealed partial class JobRunner(
    IDbContextFactory<BackpropDbContext> dbFactory,
    DatasetCatalog datasets,
    ITrainingEvents events,
    JobCancellations cancellations,
    IModelChanges modelChanges,
    IOptions<TrainingWorkerOptions> options,
    BackpropMetrics telemetry,
    JobTraceContexts traces,
    StorageWriteRetry writeRetry,
    StorageOutage outage,
    ILogger<JobRunner> logger)
{
    /// <summary>Every log line of a job's training (ours, EF Core's) carries its id: JSON logs show it as <c>JobId</c>.</summary>
    private static readonly Func<ILogger, string, IDisposable?> JobScope = LoggerMessage.DefineScope<string>("Job {JobId}");

    public void Run(JobLease lease, CancellationToken stopping)
    {
        string jobId = lease.JobId;
        using var scope = JobScope(logger, jobId);
        // From the claim to the stored outcome, in the trace of the request that submitted the job.
        using var span = BackpropActivities.Source.StartActivity("job run", ActivityKind.Internal, traces.Take(jobId));
        span?.SetTag("job.id", jobId);
        using var userCancel = new CancellationTokenSource();
        using var renewal = LeaseRenewal.Start(lease, dbFactory, userCancel, logger);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, userCancel.Token, renewal.Lost);
        cancellations.Register(jobId, userCancel);
        try
        {
            Train(lease, userCancel, renewal, linked.Token, stopping);
        }
        catch (LeaseLostException)
        {
            LogLeaseLost(lease);
        }
        finally
        {
            cancellations.Unregister(jobId);
        }
    }

    private void Train(JobLease lease, CancellationTokenSource userCancel, LeaseRenewal renewal, CancellationToken token,
        CancellationToken stopping)
    {
        string jobId = lease.JobId;
        var (job, checkpoint) = Read(jobId);
        // Registered before this check, so a cancel either sees our source or we see its flag.
        if (job.CancelRequested) userCancel.Cancel();
        // The limit counts the epochs of earlier runs too, so that restarts do not reset it.
        var maxRunTime = options.Value.MaxRunTime;
        using var runTimeLimit = CancellationTokenSource.CreateLinkedTokenSource(token);
        runTimeLimit.CancelAfter(TimeSpan.FromTicks(Math.Max(0, (maxRunTime - TrainedFor(jobId)).Ticks)));
        token = runTimeLimit.Token;
        PublishJob(jobId);
        LogStarted(logger, jobId, job.Epochs);

        Trainer? trainer = null;
        UnsavedEpoch? unsaved = null;
        Outcome outcome;
        try
        {
            var dataset = datasets.Load(job.DatasetId)
                ?? throw new DataFormatException($"The dataset '{job.DatasetId}' no longer exists; it was deleted after the job was submitted.");
            if (checkpoint is null)
            {
                trainer = Trainer.Start(dataset, EntityMapping.ReadOptions(job.Options).ToEngine(options.Value.Threads));
            }
            else
            {
                trainer = Trainer.Resume(checkpoint, dataset);
                LogResumed(logger, jobId, trainer.Epoch);
            }

            while (!trainer.IsFinished)
            {
                using var epochSpan = BackpropActivities.Source.StartActivity("job epoch");
                var metrics = trainer.RunEpoch(token).ToContract(jobId);
                epochSpan?.SetTag("job.epoch", metrics.Epoch);
                telemetry.RecordEpoch(metrics.Seconds);
                var epoch = new UnsavedEpoch(metrics, trainer.CreateCheckpoint());
                unsaved = epoch;
                writeRetry.Execute(() => SaveEpoch(lease, epoch, token), token);
                unsaved = null;
                outage.WriteSucceeded();
                events.Publish(new EpochCompletedEvent(metrics));
            }
            outcome = new(JobStatus.Succeeded, null, trainer);
        }
        catch (OperationCanceledException) when (renewal.IsLost)
        {
            throw new LeaseLostException(jobId);
        }
        catch (OperationCanceledException) when (userCancel.IsCancellationRequested)
        {
            outcome = new(JobStatus.Cancelled, null, trainer);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Release(lease);
            LogLeftRunning(logger, jobId);
            return;
        }
        catch (LeaseLostException)
        {
            throw;
        }
        catch (OperationCanceledException) when (runTimeLimit.IsCancellationRequested)
        {
            outcome = new(JobStatus.Failed,
                $"Training ran longer than the maximum run time of {maxRunTime:c} (setting Training:MaxRunTime) and was stopped " +
                $"after epoch {trainer?.Epoch ?? 0} of {job.Epochs}.{ModelNote(trainer)}", trainer);
        }
        catch (TrainingDivergedException e)
        {
            outcome = new(JobStatus.Failed, e.Message, null);
        }
        catch (Exception e) when (e is DataFormatException or ArgumentException)
        {
            outcome = new(JobStatus.Failed, e.Message, null);
        }
        catch (Exception e) when (TransientStorageErrors.IsTransient(e))
        {
            ReturnToQueue(lease, e, unsaved);
            return;
        }
        catch (Exception e)
        {
            LogFailed(logger, e, jobId);
            outcome = new(JobStatus.Failed, InternalError(jobId), null);
        }

        Store(lease, job, outcome, stopping);
    }

    /// <summary>
    /// Fails a job that previous processes left running <paramref name="attempts"/> times, without training it
    /// again: it was most likely what ended them. Its checkpoint's best weights become its model, as on cancel.
    /// The worker took the orphan over with <paramref name="lease"/> first. Logs instead of throwing.
    /// </summary>
    public void FailInterrupted(JobLease lease, int attempts, CancellationToken stopping)
    {
        string jobId = lease.JobId;
        using var scope = JobScope(logger, jobId);
        string interrupted = $"Training was interrupted {attempts} times (the service process was killed or crashed while it ran); " +
            "it is not retried again.";
        try
        {
            var (job, checkpoint) = Read(jobId);
            Trainer? trainer = null;
            try
            {
                if (checkpoint is not null && datasets.Load(job.DatasetId) is { } dataset) trainer = Trainer.Resume(checkpoint, dataset);
            }
            catch (Exception e) when (e is DataFormatException or ArgumentException)
            {
                LogCheckpointUnreadable(logger, e, jobId);
            }
            LogInterruptedTooOften(logger, jobId, attempts);
            Store(lease, job, new(JobStatus.Failed, interrupted + ModelNote(trainer), trainer), stopping);
        }
        catch (LeaseLostException)
        {
            LogLeaseLost(lease);
        }
        catch (Exception e)
        {
            LogFailed(logger, e, jobId);
            MarkFailed(lease, interrupted);
        }
    }

    /// <summary>How a job ended; its model is stored when <see cref="Trainer"/> is set and has completed an epoch.</summary>
    private readonly record struct Outcome(JobStatus Status, string? Error, Trainer? Trainer);

    /// <summary>The end of a failure message: whether the job's best model so far is kept (the rule of <see cref="Finish"/>).</summary>
    private static string ModelNote(Trainer? trainer) =>
        KeepsModel(trainer) ? " The best model so far is kept." : " It had completed no epoch, so there is no model.";

    /// <summary>Before the first epoch completes the weights are still the random initial ones: no model.</summary>
    private static bool KeepsModel([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] Trainer? trainer) => trainer is { Epoch: > 0 };

    private (JobEntity Job, byte[]? Checkpoint) Read(string jobId)
    {
        using var db = dbFactory.CreateDbContext();
        var job = db.Jobs.AsNoTracking().Single(j => j.Id == jobId);
        var checkpoint = db.Checkpoints.AsNoTracking().Where(c => c.JobId == jobId).Select(c => c.Data).FirstOrDefault();
        return (job, checkpoint);
    }

    /// <summary>The engine's time on the epochs stored so far (earlier runs of a resumed job).</summary>
    private TimeSpan TrainedFor(string jobId)
    {
        using var db = dbFactory.CreateDbContext();
        return TimeSpan.FromSeconds(db.EpochMetrics.Where(m => m.JobId == jobId).Sum(m => m.Seconds));
    }

    private void Store(JobLease lease, JobEntity job, Outcome outcome, CancellationToken stopping)
    {
        string jobId = lease.JobId;
        try
        {
            writeRetry.Execute(() => Finish(lease, job, outcome), stopping);
            outage.WriteSucceeded();
        }
        catch (LeaseLostException)
        {
            throw;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Release(lease);
            LogLeftRunning(logger, jobId);
        }
        catch (Exception e) when (TransientStorageErrors.IsTransient(e))
        {
            // Resumed from its last checkpoint, the job reaches the same outcome and stores it then.
            ReturnToQueue(lease, e, null);
        }
        catch (Exception e)
        {
            // Never leave the row running in a live process: nothing would ever pick it up again.
            LogOutcomeNotStored(logger, e, jobId, outcome.Status);
            MarkFailed(lease, $"could not store the outcome because of an internal error; {SeeTheLog(jobId)}");
        }
    }

    /// <summary>
    /// The error a job's readers see when it stopped for a reason that is not theirs: what to do, and the job id to
    /// find the details in the service log, but no exception type or internal message (those are for the operator).
    /// </summary>
    public static string InternalError(string jobId) => $"Training stopped because of an internal error; {SeeTheLog(jobId)}";

    private static string SeeTheLog(string jobId) =>
        $"the service log has the details (job id {jobId}). Resubmit the job or contact the operator.";

    /// <summary>
    /// The database refused the job's write even after the retries: the job goes back to the queue, to resume from its
    /// last stored checkpoint, and the worker claims nothing until the database takes writes again. The epoch that was
    /// not stored is kept for <see cref="StorageRecovery"/>, so the job does not train it twice.
    /// </summary>
    public void ReturnToQueue(JobLease lease, Exception error, UnsavedEpoch? unsaved)
    {
        string jobId = lease.JobId;
        LogReturnedToQueue(logger, error, jobId, TransientStorageErrors.Describe(error));
        // Pause claiming first: no slot may claim the job again while the database refuses its writes.
        outage.Report(error);
        if (unsaved is not null) outage.Keep(unsaved);
        try
        {
            bool requeued;
            using (var db = dbFactory.CreateDbContext())
            {
                // The database, not the job, stopped this run: it does not count towards MaxAttempts.
                requeued = lease.ReturnToQueue(db);
            }
            if (requeued) PublishJob(jobId);
        }
        catch (Exception e)
        {
            LogRequeueFailed(logger, e, jobId);
            outage.KeepJobLeftRunning(lease);
        }
    }

    /// <summary>
    /// A run that a graceful shutdown stops is handed back (<see cref="JobLease.Release"/>): it does not count towards
    /// <see cref="TrainingWorkerOptions.MaxAttempts"/>, so restarts and redeploys never fail a long job, and its lease
    /// ends at once, so another worker need not wait for it to run out.
    /// </summary>
    private void Release(JobLease lease)
    {
        string jobId = lease.JobId;
        try
        {
            using var db = dbFactory.CreateDbContext();
            lease.Release(db);
        }
        catch (Exception e)
        {
            // The run then counts as interrupted; the job still resumes on the next start.
            LogAttemptNotGivenBack(logger, e, jobId);
        }
    }

    /// <summary>
    /// Marks a job that is still running as failed with one guarded statement, for when its outcome could
    /// not be stored the usual way (or its training thread crashed). Logs instead of throwing; when even this
    /// write fails, the job is left to <see cref="StorageRecovery"/>, which puts it back in the queue to be tried again.
    /// </summary>
    public void MarkFailed(JobLease lease, string error)
    {
        string jobId = lease.JobId;
        try
        {
            bool failed;
            using (var db = dbFactory.CreateDbContext())
            {
                failed = lease.Finish(db, JobStatus.Failed, error, modelId: null);
            }
            if (failed) PublishJob(jobId);
            else LogLeaseLost(lease);
        }
        catch (Exception e)
        {
            LogMarkFailedFailed(logger, e, jobId);
            outage.Report(e);
            outage.KeepJobLeftRunning(lease);
        }
    }

    /// <summary>Stores a completed epoch, fenced by the run's lease (<see cref="LeaseLostException"/> when it no longer holds the job).</summary>
    private void SaveEpoch(JobLease lease, UnsavedEpoch epoch, CancellationToken cancellationToken)
    {
        using var db = dbFactory.CreateDbContext();
        // This is the job's own training thread, not a pool thread: waiting here holds up nothing else.
        bool stored = db.TryStoreEpochAsync(epoch.Metrics, epoch.Checkpoint,
            (fenced, ct) => lease.AdvanceEpochAsync(fenced, epoch.Metrics.Epoch, ct), cancellationToken).GetAwaiter().GetResult();
        if (!stored) throw new LeaseLostException(lease.JobId);
    }

    /// <summary>
    /// Stores the outcome; with a trainer that has completed an epoch (a succeeded job, or one cancelled or stopped
    /// by a limit after its first epoch) also its model: the best weights so far. Both are written only while the
    /// run's lease holds the job (<see cref="JobLease.Finish"/>, in the model's transaction); otherwise nothing is, and
    /// <see cref="LeaseLostException"/> says so.
    /// </summary>
    private void Finish(JobLease lease, JobEntity job, Outcome outcome)
    {
        string jobId = lease.JobId;
        using var span = BackpropActivities.Source.StartActivity("job store");
        span?.SetTag("job.status", JsonNamingPolicy.CamelCase.ConvertName(outcome.Status.ToString())); // as on the wire
        if (outcome.Status == JobStatus.Failed) span?.SetStatus(ActivityStatusCode.Error, outcome.Error);
        int epoch;
        using (var db = dbFactory.CreateDbContext())
        {
            epoch = db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.Epoch).FirstOrDefault();
            if (outcome.Trainer is var trainer && KeepsModel(trainer))
            {
                var metrics = db.EpochMetrics.AsNoTracking().Where(m => m.JobId == jobId).ToList();
                // The trainer keeps the weights of the lowest validation loss (or the last epoch's without validation).
                var best = metrics.Where(m => m.ValidationLoss is not null).OrderBy(m => m.ValidationLoss).FirstOrDefault()
                    ?? metrics.OrderByDescending(m => m.Epoch).FirstOrDefault();
                // This is the job's own training thread, not a pool thread: waiting here holds up nothing else.
                ModelStore.SaveAsync(db, modelChanges, trainer.CreateModel(), job.Name, jobId, job.DatasetId, best?.ToContract(),
                    model =>
                    {
                        // The fence, in the model's transaction: no lease, no model.
                        if (!lease.Finish(db, outcome.Status, outcome.Error, model.Id)) throw new LeaseLostException(jobId);
                        // A job's model belongs to whoever submitted the job.
                        model.CreatedByKeyId = job.CreatedByKeyId;
                        model.CreatedByName = job.CreatedByName;
                    }, CancellationToken.None).GetAwaiter().GetResult();
            }
            else if (!lease.Finish(db, outcome.Status, outcome.Error, modelId: null))
            {
                throw new LeaseLostException(jobId);
            }
        }
        LogFinished(logger, jobId, outcome.Status, epoch);
        PublishJob(jobId);
    }

    /// <summary>Not an error: the job is in other hands (or ended), and this run lets go of it.</summary>
    private void LogLeaseLost(JobLease lease)
    {
        if (!logger.IsEnabled(LogLevel.Information)) return;
        string holder = DescribeHolder(lease);
        LogLeaseLostTo(logger, lease.JobId, holder);
    }

    /// <summary>Who holds a job this run lost, for the log; never throws (the database may be what failed).</summary>
    private string DescribeHolder(JobLease lease)
    {
        try
        {
            using var db = dbFactory.CreateDbContext();
            return lease.DescribeHolder(db);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return "another worker (the database did not say which)";
        }
    }

    private void PublishJob(string jobId)
    {
        using var db = dbFactory.CreateDbContext();
        if (db.GetJob(jobId) is { } job) events.Publish(new JobUpdatedEvent(job));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} starts training: {Epochs} epochs.")]
    private static partial void LogStarted(ILogger logger, string jobId, int epochs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ends {Status} after epoch {Epoch}.")]
    private static partial void LogFinished(ILogger logger, string jobId, JobStatus status, int epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} resumes from its checkpoint after epoch {Epoch}.")]
    private static partial void LogResumed(ILogger logger, string jobId, int epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: lease lost to {Holder}; this worker stops training it and writes nothing more.")]
    private static partial void LogLeaseLostTo(ILogger logger, string jobId, string holder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} stopped by shutdown; it resumes from its last checkpoint on the next start.")]
    private static partial void LogLeftRunning(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store the outcome ({Status}) of job {JobId}; marking it failed.")]
    private static partial void LogOutcomeNotStored(ILogger logger, Exception exception, string jobId, JobStatus status);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not mark job {JobId} failed; it goes back to the queue once the database takes writes again.")]
    private static partial void LogMarkFailedFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} was left running by {Attempts} processes in a row; it fails instead of training again.")]
    private static partial void LogInterruptedTooOften(ILogger logger, string jobId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The checkpoint of job {JobId} could not be read; it fails without a model.")]
    private static partial void LogCheckpointUnreadable(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand back the attempt of job {JobId}; the stopped run counts as interrupted.")]
    private static partial void LogAttemptNotGivenBack(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed with an unexpected error.")]
    private static partial void LogFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database keeps refusing the writes of job {JobId} ({Reason}); it goes back to the queue to resume from its last checkpoint, and the worker claims no job until the database takes writes again.")]
    private static partial void LogReturnedToQueue(ILogger logger, Exception exception, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not put job {JobId} back in the queue; it goes back once the database takes writes again.")]
    private static partial void LogRequeueFailed(ILogger logger, Exception exception, string jobId);
}
