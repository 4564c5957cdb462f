namespace BackpropService.Engine.Optimizers;

/// <summary>
/// Turns gradients into an update of θ. Backprop computes ∂C/∂θ; an optimizer decides how far to step.
/// Optimizers keep per-parameter state (velocities, moment estimates) that checkpoints save and restore.
/// </summary>
public abstract class Optimizer
{
    public abstract OptimizerKind Kind { get; }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/> with learning rate η.</summary>
    public abstract void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate);

    internal abstract void WriteState(BinaryWriter writer);

    internal abstract void ReadState(BinaryReader reader);

    /// <param name="kind">Which rule.</param>
    /// <param name="parameterCount">Length of θ.</param>
    /// <param name="momentum">μ for momentum and Nesterov; ignored by the others.</param>
    public static Optimizer Create(OptimizerKind kind, int parameterCount, float momentum) => kind switch
    {
        OptimizerKind.Sgd => new SgdOptimizer(),
        OptimizerKind.Momentum => new MomentumOptimizer(parameterCount, momentum, nesterov: false),
        OptimizerKind.Nesterov => new MomentumOptimizer(parameterCount, momentum, nesterov: true),
        OptimizerKind.Rmsprop => new RmsPropOptimizer(parameterCount),
        OptimizerKind.Adam => new AdamOptimizer(parameterCount),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown optimizer"),
    };
}
