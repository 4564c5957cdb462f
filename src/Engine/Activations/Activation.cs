using System.Numerics;

namespace BackpropService.Engine.Activations;

/// <summary>
/// An activation function σ and its derivative, kept side by side. Both work on a whole mini-batch at
/// once: rows are samples, <c>width</c> is the number of neurons in the layer.
/// </summary>
public abstract class Activation
{
    public abstract ActivationKind Kind { get; }

    /// <summary>a = σ(z), element-wise (softmax: row-wise).</summary>
    public abstract void Forward<T>(ReadOnlySpan<T> weightedInput, Span<T> activation, int width)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Turns ∂C/∂a into ∂C/∂z in place, given z and a = σ(z). For element-wise σ this is
    /// <c>gradient ⊙= σ'(z)</c> (the ⊙ σ'(z) factor of BP1 and BP2); softmax applies its Jacobian.
    /// </summary>
    public abstract void BackpropagateInPlace<T>(ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, Span<T> gradient, int width)
        where T : unmanaged, IFloatingPointIeee754<T>;

    public static Activation For(ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => IdentityActivation.Instance,
        ActivationKind.Sigmoid => SigmoidActivation.Instance,
        ActivationKind.Tanh => TanhActivation.Instance,
        ActivationKind.Relu => ReluActivation.Instance,
        ActivationKind.LeakyRelu => LeakyReluActivation.Instance,
        ActivationKind.Softmax => SoftmaxActivation.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation"),
    };
}
