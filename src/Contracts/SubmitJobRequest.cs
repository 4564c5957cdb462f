namespace BackpropService.Contracts;

/// <summary>
/// A training job. Only <see cref="DatasetId"/>, <see cref="Layers"/> and <see cref="Epochs"/> are
/// required; everything else has a default (see <see cref="JobDefaults"/>).
/// </summary>
public sealed record SubmitJobRequest
{
    public string? Name { get; init; }
    public string? DatasetId { get; init; }

    /// <summary>Hidden and output layers; the input size comes from the dataset.</summary>
    public IReadOnlyList<LayerDefinition?>? Layers { get; init; }

    public Cost? Cost { get; init; }
    public Optimizer? Optimizer { get; init; }

    /// <summary>η.</summary>
    public double? LearningRate { get; init; }

    public double? Momentum { get; init; }
    public int? BatchSize { get; init; }
    public int? Epochs { get; init; }

    /// <summary>L2 regularization λ.</summary>
    public double? L2 { get; init; }

    /// <summary>L1 regularization λ.</summary>
    public double? L1 { get; init; }

    public Initialization? Init { get; init; }
    public ulong? Seed { get; init; }
    public double? ValidationSplit { get; init; }
    public int? EarlyStoppingPatience { get; init; }
    public Normalization? Normalize { get; init; }
}
