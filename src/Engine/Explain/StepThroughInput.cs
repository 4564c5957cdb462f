using BackpropService.Engine.Costs;

namespace BackpropService.Engine.Explain;

/// <summary>A network, one sample and its target, a cost and η: everything one step of backprop needs.</summary>
public sealed record StepThroughInput(IReadOnlyList<StepThroughLayer> Layers, double[] Input, double[] Target, CostKind Cost, double LearningRate);
