using BackpropService.Engine.LinearAlgebra;
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

    public override unsafe void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        if (parameters.Length != _velocity.Length || gradients.Length != _velocity.Length)
            throw new ArgumentException($"θ and its gradient must hold {_velocity.Length} values.");
        int parts = Math.Clamp(Math.Min(Threads, parameters.Length / MinParametersPerThread), 1, WorkerTeam.MaxParts);
        if (parts == 1)
        {
            Update(parameters, gradients, _velocity, learningRate);
            return;
        }

        // Bands of θ on the worker team: with a large layer (W2's 784-256 has 200,704 weights) the step would otherwise
        // keep one thread busy while the other waits for the next mini-batch.
        fixed (float* theta = parameters, gradient = gradients, velocity = _velocity)
        {
            _bands.Set(this, theta, gradient, velocity, parameters.Length, learningRate);
            WorkerTeam.Run(_bands, parts);
        }
    }

    /// <summary>Fewer parameters than this per thread are updated on the calling thread alone.</summary>
    private const int MinParametersPerThread = 32 * 1024;

    private readonly StepBands _bands = new();

    /// <summary>v ← μv + g, then θ ← θ − ηv (Nesterov: θ ← θ − ηg − ημv), element by element.</summary>
    private void Update(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> velocity, float learningRate)
    {
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

    /// <summary>One step split into bands of θ (each element computed as on one thread); reused, so a step allocates nothing.</summary>
    private sealed unsafe class StepBands : ParallelWork
    {
        private MomentumOptimizer? _optimizer;
        private float* _parameters, _gradients, _velocity;
        private int _length;
        private float _learningRate;

        public void Set(MomentumOptimizer optimizer, float* parameters, float* gradients, float* velocity, int length, float learningRate)
        {
            _optimizer = optimizer;
            _parameters = parameters;
            _gradients = gradients;
            _velocity = velocity;
            _length = length;
            _learningRate = learningRate;
        }

        public override void Execute(int part, int parts)
        {
            (int start, int end) = ProductPartition.Band(_length, 16, part, parts);
            if (start >= end) return;
            _optimizer!.Update(new Span<float>(_parameters + start, end - start), new ReadOnlySpan<float>(_gradients + start, end - start),
                new Span<float>(_velocity + start, end - start), _learningRate);
        }
    }

    internal override void WriteState(BinaryWriter writer) => BinaryFields.WriteFloats(writer, _velocity);

    internal override void ReadState(BinaryReader reader) => BinaryFields.ReadFloatsInto(reader, _velocity, "optimizer state");
}
