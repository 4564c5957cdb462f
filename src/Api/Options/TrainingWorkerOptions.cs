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

    /// <summary>
    /// How often an idle slot looks at the queue even without a signal, in seconds: a safety net for a
    /// claim that failed on a busy database, and for jobs queued by other means than this process's
    /// submit endpoint (e.g. a row restored or fixed by hand). It does not make it safe for a second
    /// process to share the database: one service process per database file is the supported mode.
    /// </summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 5;

    /// <summary>Compile the engine's code at start-up, so that the first job's first epoch runs at full speed (<see cref="Training.EngineWarmUp"/>).</summary>
    public bool WarmUp { get; set; } = true;
}
