using System.ComponentModel.DataAnnotations;

namespace BackpropService.Api.Options;

/// <summary>How the worker trains (configuration section <c>Training</c>).</summary>
public sealed class TrainingWorkerOptions
{
    public const string Section = "Training";

    /// <summary>
    /// Jobs trained at the same time, each on its own thread: by default one per core, each with one engine thread
    /// (<see cref="Threads"/>), so a short job need not wait for a long one to end.
    /// </summary>
    [Range(1, 1024)]
    public int Concurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>Threads the engine may use for one job.</summary>
    [Range(1, 256)]
    public int Threads { get; set; } = 1;

    /// <summary>
    /// How often an idle slot looks at the queue even without a signal, in seconds: a safety net for a
    /// claim that failed on a busy database, and for jobs queued by other means than this process's
    /// submit endpoint (e.g. a row restored or fixed by hand, or another process's API).
    /// </summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 5;

    /// <summary>
    /// How many times a job may be claimed without its run ending in an orderly way. A job whose worker died (or lost
    /// its lease, see <see cref="LeaseSeconds"/>) after this many claims was most likely what ended those workers (out
    /// of memory, a native fault), so the worker that finds it orphaned fails it, keeping its best model, instead of
    /// training it again.
    /// </summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// The longest a job may train, summed over its runs if it was interrupted; past it the job fails, keeping its
    /// best model. (At most 30 days: a timer's range.)
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan MaxRunTime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How many more times a write of the worker (an epoch's metrics and checkpoint, a job's outcome) is tried when the
    /// database refuses it for a moment: busy or locked past the busy timeout, full, or an I/O error
    /// (<see cref="Persistence.TransientStorageErrors"/>). After the last try the job goes back to the queue instead of
    /// failing, and the worker claims nothing until the database takes writes again.
    /// </summary>
    [Range(1, 20)]
    public int StorageRetries { get; set; } = 5;

    /// <summary>The wait before the first retry, in milliseconds; it doubles with each retry (with jitter).</summary>
    [Range(1, 60_000)]
    public int StorageRetryDelayMilliseconds { get; set; } = 500;

    /// <summary>While the database refuses the worker's writes, how often it tries again, in seconds (<see cref="Training.StorageRecovery"/>).</summary>
    [Range(1, 3600)]
    public int StoragePauseSeconds { get; set; } = 30;

    /// <summary>
    /// How long a worker's claim on a running job lasts without being renewed, in seconds. The worker renews it every
    /// third of this while the job trains; a job whose lease runs out (its worker died or hung) goes back to the queue
    /// and resumes from its checkpoint on any worker. Shorter: a dead worker's job resumes sooner; longer: a worker
    /// paused for a moment (a long GC, a busy database) keeps its job.
    /// </summary>
    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>Compile the engine's code at start-up, so that the first job's first epoch runs at full speed (<see cref="Training.EngineWarmUp"/>).</summary>
    public bool WarmUp { get; set; } = true;
}
