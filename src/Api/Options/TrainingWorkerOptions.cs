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

    /// <summary>How often the worker looks at the queue even without a signal (another process may
    /// share the database), in seconds.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 5;
}
