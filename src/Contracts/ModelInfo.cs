namespace BackpropService.Contracts;

/// <summary>A trained (or imported) model. Models are versioned per name.</summary>
/// <param name="JobId">The job that trained it; null for an imported model.</param>
/// <param name="Metrics">The metrics of the model's epoch when it was stored; null for an imported model.</param>
/// <param name="InputShape">
/// The input as [channels, height, width] for a model of images (its layers may convolve and pool); null for a flat
/// input. <c>inputs</c> is always the number of values a row of <c>/predict</c> gives, in channel, row, column order.
/// </param>
/// <param name="CreatedBy">The API key that created it (id and name); null for what predates access control or is built in.</param>
public sealed record ModelInfo(
    string Id,
    string Name,
    int Version,
    string? JobId,
    string? DatasetId,
    LearningTask Task,
    int Inputs,
    int Outputs,
    IReadOnlyList<string>? Classes,
    IReadOnlyList<LayerShape> Layers,
    EpochMetrics? Metrics,
    DateTimeOffset CreatedAt,
    Creator? CreatedBy = null,
    IReadOnlyList<int>? InputShape = null);
