using System.ComponentModel.DataAnnotations;

namespace BackpropService.Api.Options;

/// <summary>How the worker trains (configuration section <c>Training</c>).</summary>
public sealed class TrainingWorkerOptions
{
    public const string Section = "Training";

    /// <summary>Jobs trained at the same time, each on its own thread.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 1;

    /// <summary>Threads the engine may use for one job.</summary>
    [Range(1, 256)]
    public int Threads { get; set; } = 1;

    /// <summary>Models kept loaded for predict.</summary>
    [Range(1, 10_000)]
    public int ModelCacheSize { get; set; } = 32;

    /// <summary>
    /// How often an idle slot looks at the queue even without a signal, in seconds: a safety net for a
    /// claim that failed on a busy database, and for jobs queued by other means than this process's
    /// submit endpoint (e.g. a row restored or fixed by hand). It does not make it safe for a second
    /// process to share the database: one service process per database file is the supported mode.
    /// </summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 5;

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

    /// <summary>Compile the engine's code at start-up, so that the first job's first epoch runs at full speed (<see cref="Training.EngineWarmUp"/>).</summary>
    public bool WarmUp { get; set; } = true;
}
