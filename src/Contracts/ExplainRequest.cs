namespace BackpropService.Contracts;

/// <summary>One backpropagation step on one sample, computed in double precision.</summary>
public sealed record ExplainRequest(
    IReadOnlyList<ExplainLayer?>? Layers,
    double[]? Input,
    double[]? Target,
    Cost? Cost,
    double? LearningRate);
