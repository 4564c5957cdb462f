using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// Whether the database refuses the worker's writes (after <see cref="StorageWriteRetry"/> gave up), and what the
/// worker still has to write once it takes them again. While an outage lasts the worker claims no job: each would
/// train an epoch only to lose it. <see cref="StorageRecovery"/> tries again every
/// <see cref="TrainingWorkerOptions.StoragePauseSeconds"/>; any write of the worker that succeeds ends the outage.
/// <c>/health/ready</c> reports it (<see cref="StorageHealthCheck"/>).
/// </summary>
public sealed class StorageOutage(TimeProvider time, IOptions<TrainingWorkerOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, UnsavedEpoch> _unsavedEpochs = [];
    private readonly Dictionary<string, JobLease> _jobsLeftRunning = [];
    private Exception? _error;
    private DateTimeOffset _since;
    private DateTimeOffset _nextAttempt;

    /// <summary>The error that started the outage's latest round, when it started, and when the worker tries again; null while writes succeed.</summary>
    public (Exception Error, DateTimeOffset Since, DateTimeOffset NextAttempt)? Current
    {
        get
        {
            lock (_lock) return _error is null ? null : (_error, _since, _nextAttempt);
        }
    }

    public bool ClaimsPaused
    {
        get
        {
            lock (_lock) return _error is not null;
        }
    }

    /// <summary>Time for <see cref="StorageRecovery"/>: the pause after a failure is over, or writes succeed again and something is still held back.</summary>
    public bool RecoveryDue
    {
        get
        {
            lock (_lock)
                return _error is not null
                    ? time.GetUtcNow() >= _nextAttempt
                    : _unsavedEpochs.Count > 0 || _jobsLeftRunning.Count > 0;
        }
    }

    /// <summary>The database refused a write for good (retries included): pause claiming for a while.</summary>
    public void Report(Exception error)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_error is null) _since = now;
            _error = error;
            _nextAttempt = now + TimeSpan.FromSeconds(options.Value.StoragePauseSeconds);
        }
    }

    /// <summary>A write of the worker went through: the database takes writes again.</summary>
    public void WriteSucceeded()
    {
        lock (_lock) _error = null;
    }

    /// <summary>Keeps an epoch whose job went back to the queue without it; <see cref="StorageRecovery"/> stores it later.</summary>
    public void Keep(UnsavedEpoch epoch)
    {
        lock (_lock) _unsavedEpochs[epoch.JobId] = epoch;
    }

    /// <summary>Keeps a job whose row still says <c>running</c> although nothing trains it (the write that should have
    /// moved it on failed), with the lease of the run that left it; <see cref="StorageRecovery"/> puts it back in the queue
    /// if that lease still holds it.</summary>
    public void KeepJobLeftRunning(JobLease lease)
    {
        lock (_lock) _jobsLeftRunning[lease.JobId] = lease;
    }

    public IReadOnlyList<UnsavedEpoch> UnsavedEpochs
    {
        get
        {
            lock (_lock) return [.. _unsavedEpochs.Values];
        }
    }

    public IReadOnlyList<JobLease> JobsLeftRunning
    {
        get
        {
            lock (_lock) return [.. _jobsLeftRunning.Values];
        }
    }

    public void Forget(UnsavedEpoch epoch)
    {
        lock (_lock) _unsavedEpochs.Remove(epoch.JobId);
    }

    public void ForgetJobLeftRunning(string jobId)
    {
        lock (_lock) _jobsLeftRunning.Remove(jobId);
    }
}
