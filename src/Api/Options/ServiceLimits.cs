using System.ComponentModel.DataAnnotations;
using BackpropService.Engine.Data;

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

    /// <summary>Most columns in a CSV row (features plus the label); a wider row gets 400 on <c>file</c>.</summary>
    [Range(2, 1_000_000)]
    public int MaxCsvColumns { get; set; } = 20_000;

    /// <summary>Most characters in one CSV field; a longer one gets 400 on <c>file</c>.</summary>
    [Range(16, 1_000_000)]
    public int MaxCsvFieldLength { get; set; } = 1000;

    /// <summary>
    /// Uploads that wait while another one is parsed (one dataset is parsed at a time, since a parse may hold
    /// <see cref="MaxDatasetBytes"/> and its stored copy); past these an upload gets 503 with Retry-After.
    /// </summary>
    [Range(0, 1000)]
    public int MaxQueuedUploads { get; set; } = 4;

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

    /// <summary>Most points (jobs) one sweep may have: a larger grid gets 400 on <c>grid</c>, more trials 400 on <c>trials</c>.</summary>
    [Range(1, 100_000)]
    public int MaxSweepPoints { get; set; } = 100;

    /// <summary>Most rows in one predict request.</summary>
    [Range(1, 10_000_000)]
    public int MaxPredictRows { get; set; } = 10_000;

    /// <summary>
    /// Memory for models kept loaded for predict, in bytes of their weights and biases (4 bytes each); past it the least
    /// recently used models are dropped (and read from the database again when next asked for).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long ModelCacheBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Memory for uploaded datasets kept decoded for the read endpoints (preview, decision boundary, evaluate), in bytes
    /// (4 a stored number); past it the least recently used are dropped. 0 turns the cache off.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long DatasetCacheBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Requests that load a whole dataset (preview, decision boundary, evaluate) served at the same time.</summary>
    [Range(1, 1024)]
    public int DatasetReadConcurrency { get; set; } = 2;

    /// <summary>Such requests that may wait for a turn; past them the answer is 503 with Retry-After.</summary>
    [Range(0, 100_000)]
    public int DatasetReadQueue { get; set; } = 16;

    /// <summary>The setting that bounds what a dataset reader refused, for naming it in the answer.</summary>
    public static string SettingFor(DataLimit limit) => limit switch
    {
        DataLimit.UncompressedBytes or DataLimit.Values => $"{Section}:{nameof(MaxDatasetBytes)}",
        DataLimit.Columns => $"{Section}:{nameof(MaxCsvColumns)}",
        DataLimit.FieldLength => $"{Section}:{nameof(MaxCsvFieldLength)}",
        DataLimit.Classes => $"{Section}:{nameof(MaxClasses)}",
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, null),
    };
}
