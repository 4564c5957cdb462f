using System.ComponentModel.DataAnnotations;

namespace BackpropService.Api.Options;

/// <summary>Bounds on what one request may ask for (configuration section <c>Limits</c>).</summary>
public sealed class ServiceLimits
{
    public const string Section = "Limits";

    /// <summary>Longest name of a job, dataset or model, in characters (fixed, not configurable).</summary>
    public const int MaxNameLength = 200;

    /// <summary>Largest upload (dataset or model file), in bytes; larger requests get 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Most weights and biases a job's network may have.</summary>
    [Range(1, long.MaxValue)]
    public long MaxParameters { get; set; } = 5_000_000;

    /// <summary>
    /// Most floats a job's training buffers may hold: the engine keeps max(batch, 256) rows × the sum of
    /// the layer sizes × 3 (z, a and δ per layer), plus the batch's inputs and targets and the outputs
    /// for the validation set. The default, 50,000,000, is about 200 MB.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxActivationValues { get; set; } = 50_000_000;

    [Range(1, 1_000_000)]
    public int MaxEpochs { get; set; } = 10_000;

    /// <summary>
    /// Largest dataset once decoded (4 bytes per stored number), in bytes. Bounds what a small compressed upload may
    /// expand to; at most 1,000,000,000 (SQLite's largest value).
    /// </summary>
    [Range(1024, 1_000_000_000)]
    public long MaxDatasetBytes { get; set; } = 500_000_000;

    /// <summary>Most classes a CSV label column may have.</summary>
    [Range(2, 1_000_000)]
    public int MaxClasses { get; set; } = 1000;

    /// <summary>Largest JSON request body, in bytes (uploads have <see cref="MaxUploadBytes"/>); larger requests get 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxJsonBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Most hidden plus output layers.</summary>
    [Range(1, 1000)]
    public int MaxLayers { get; set; } = 32;

    /// <summary>Most neurons in one layer.</summary>
    [Range(1, 10_000_000)]
    public int MaxLayerSize { get; set; } = 100_000;

    /// <summary>
    /// Most jobs one API key may have queued (not yet running) at a time; a submission beyond it gets 429, so one
    /// caller cannot fill the queue. It applies to admin keys too: raise it for a deployment that queues more.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxQueuedJobsPerKey { get; set; } = 100;

    /// <summary>Most rows in one predict request.</summary>
    [Range(1, 10_000_000)]
    public int MaxPredictRows { get; set; } = 10_000;
}
