using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Activations;

/// <summary>σ(z) = tanh z, σ'(z) = 1 − tanh² z.</summary>
public sealed class TanhActivation : Activation
{
    public static readonly TanhActivation Instance = new();

    public override ActivationKind Kind => ActivationKind.Tanh;

    public override void Forward<T>(ReadOnlySpan<T> weightedInput, Span<T> activation, int width) =>
        TensorPrimitives.Tanh(weightedInput, activation);

    public override void BackpropagateInPlace<T>(ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, Span<T> gradient, int width)
    {
        activation = activation[..gradient.Length];
        for (int i = 0; i < gradient.Length; i++)
        {
            T a = activation[i];
            gradient[i] *= T.One - a * a;
        }
    }
}
