using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Activations;

/// <summary>σ(z) = max(0, z), σ'(z) = 1 for z &gt; 0, else 0.</summary>
public sealed class ReluActivation : Activation
{
    public static readonly ReluActivation Instance = new();

    public override ActivationKind Kind => ActivationKind.Relu;

    public override void Forward<T>(ReadOnlySpan<T> weightedInput, Span<T> activation, int width) =>
        TensorPrimitives.Max(weightedInput, T.Zero, activation);

    public override void BackpropagateInPlace<T>(ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, Span<T> gradient, int width)
    {
        weightedInput = weightedInput[..gradient.Length];
        for (int i = 0; i < gradient.Length; i++)
        {
            if (weightedInput[i] <= T.Zero) gradient[i] = T.Zero;
        }
    }
}
