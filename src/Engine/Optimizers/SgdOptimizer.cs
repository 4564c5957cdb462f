using System.Numerics.Tensors;

namespace BackpropService.Engine.Optimizers;

/// <summary>Plain gradient descent: θ ← θ − η ∂C/∂θ.</summary>
public sealed class SgdOptimizer : Optimizer
{
    public override OptimizerKind Kind => OptimizerKind.Sgd;

    internal override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate) =>
        TensorPrimitives.MultiplyAdd(gradients, -learningRate, parameters, parameters);

    internal override void WriteState(BinaryWriter writer) { }

    internal override void ReadState(BinaryReader reader) { }
}
