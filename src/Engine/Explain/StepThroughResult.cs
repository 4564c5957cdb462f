namespace BackpropService.Engine.Explain;

/// <summary>One gradient-descent step on one sample, with the output and cost before and after it.</summary>
public sealed record StepThroughResult(
    double[] Output,
    double Cost,
    IReadOnlyList<StepThroughLayerResult> Layers,
    double[] OutputAfterUpdate,
    double CostAfterUpdate);
