using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Activations;

/// <summary>σ(z) = 1 / (1 + e^−z), σ'(z) = σ(z)(1 − σ(z)).</summary>
public sealed class SigmoidActivation : Activation
{
    public static readonly SigmoidActivation Instance = new();

    public override ActivationKind Kind => ActivationKind.Sigmoid;

    public override void Forward<T>(ReadOnlySpan<T> weightedInput, Span<T> activation, int width) =>
        TensorPrimitives.Sigmoid(weightedInput, activation);

    public override void BackpropagateInPlace<T>(ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, Span<T> gradient, int width)
    {
        activation = activation[..gradient.Length];
        for (int i = 0; i < gradient.Length; i++)
        {
            T a = activation[i];
            gradient[i] *= a * (T.One - a);
        }
    }
}
