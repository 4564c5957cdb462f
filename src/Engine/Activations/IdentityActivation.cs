using System.Numerics;

namespace BackpropService.Engine.Activations;

/// <summary>σ(z) = z, σ'(z) = 1 (linear output for regression).</summary>
public sealed class IdentityActivation : Activation
{
    public static readonly IdentityActivation Instance = new();

    public override ActivationKind Kind => ActivationKind.Identity;

    public override void Forward<T>(ReadOnlySpan<T> weightedInput, Span<T> activation, int width) =>
        weightedInput.CopyTo(activation);

    public override void BackpropagateInPlace<T>(ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, Span<T> gradient, int width)
    {
        // σ'(z) = 1: the gradient passes through unchanged.
    }
}
