using System.Numerics;
using BackpropService.Engine.Activations;

namespace BackpropService.Engine.Costs;

/// <summary>
/// A cost function C and its output error δᴸ (BP1), kept side by side. Works on a mini-batch: rows are
/// samples, <c>width</c> is the number of outputs.
/// </summary>
public abstract class Cost
{
    public abstract CostKind Kind { get; }

    /// <summary>Σ over the rows of C_x, computed from the output layer's z and a so that it stays finite.</summary>
    public abstract T Loss<T>(Activation output, ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, ReadOnlySpan<T> target, int width)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>BP1: δᴸ = ∇_a C ⊙ σ'(zᴸ), written to <paramref name="error"/>.</summary>
    public abstract void OutputError<T>(Activation output, ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, ReadOnlySpan<T> target, Span<T> error, int width)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Why this cost cannot follow the given output activation, or null when it can.</summary>
    public abstract string? Incompatibility(ActivationKind output);

    public static Cost For(CostKind kind) => kind switch
    {
        CostKind.Quadratic => QuadraticCost.Instance,
        CostKind.CrossEntropy => CrossEntropyCost.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown cost"),
    };
}
