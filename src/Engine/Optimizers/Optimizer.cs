namespace BackpropService.Engine.Optimizers;

/// <summary>
/// Turns gradients into an update of θ. Backprop computes ∂C/∂θ; an optimizer decides how far to step.
/// Optimizers keep per-parameter state (velocities, moment estimates) that checkpoints save and restore.
/// </summary>
public abstract class Optimizer
{
    public abstract OptimizerKind Kind { get; }

    /// <summary>Updates <paramref name="parameters"/> (all of θ) in place from <paramref name="gradients"/> with learning rate η.</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        if (gradients.Length != parameters.Length)
            throw new ArgumentException($"gradients hold {gradients.Length} values, θ {parameters.Length}.", nameof(gradients));
        BeginStep();
        Update(parameters, gradients, 0, learningRate);
    }

    /// <summary>
    /// Starts a step whose parameters are then updated piece by piece with <see cref="Update"/> (possibly on several
    /// threads): what a step does once, not per parameter (Adam's step count t).
    /// </summary>
    internal virtual void BeginStep()
    {
    }

    /// <summary>
    /// The step's update of one slice of θ: <paramref name="parameters"/> and <paramref name="gradients"/> are θ and
    /// ∂C/∂θ from index <paramref name="offset"/> on, and the optimizer uses its state for the same indices. Each
    /// parameter's update depends only on its own gradient and state, so slices may run in any order or at once.
    /// </summary>
    internal abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate);

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
