namespace BackpropService.Contracts;

/// <summary>A job's training options with every default filled in.</summary>
public sealed record JobOptions(
    IReadOnlyList<LayerShape> Layers,
    Cost Cost,
    Optimizer Optimizer,
    double LearningRate,
    double Momentum,
    int BatchSize,
    int Epochs,
    double L2,
    double L1,
    Initialization Init,
    ulong Seed,
    double ValidationSplit,
    int? EarlyStoppingPatience,
    Normalization Normalize);
