namespace BackpropService.Contracts;

/// <summary>Every number of one forward pass, backward pass and gradient-descent update.</summary>
public sealed record ExplainResponse(
    double[] Output,
    double Cost,
    IReadOnlyList<ExplainLayerResult> Layers,
    double[] OutputAfterUpdate,
    double CostAfterUpdate);
