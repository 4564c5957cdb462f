using BackpropService.Engine.Serialization;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Optimizers;

/// <summary>
/// Momentum: v ← μv + g, θ ← θ − ηv. Nesterov: the same velocity, but the step looks ahead,
/// θ ← θ − η(g + μv). (The velocity holds gradients, not steps, so a changing η acts at once.)
/// </summary>
public sealed class MomentumOptimizer : Optimizer
{
    private readonly float[] _velocity;
    private readonly float _momentum;
    private readonly bool _nesterov;

    public MomentumOptimizer(int parameterCount, float momentum, bool nesterov)
    {
        _velocity = new float[parameterCount];
        _momentum = momentum;
        _nesterov = nesterov;
    }

    public override OptimizerKind Kind => _nesterov ? OptimizerKind.Nesterov : OptimizerKind.Momentum;

    internal override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate)
    {
        Span<float> velocity = _velocity.AsSpan(offset, parameters.Length);
        TensorPrimitives.MultiplyAdd(velocity, _momentum, gradients, velocity);
        if (_nesterov)
        {
            TensorPrimitives.MultiplyAdd(gradients, -learningRate, parameters, parameters);
            TensorPrimitives.MultiplyAdd(velocity, -learningRate * _momentum, parameters, parameters);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(velocity, -learningRate, parameters, parameters);
        }
    }

    internal override void WriteState(BinaryWriter writer) => BinaryFields.WriteFloats(writer, _velocity);

    internal override void ReadState(BinaryReader reader) => BinaryFields.ReadFloatsInto(reader, _velocity, "optimizer state");
}
