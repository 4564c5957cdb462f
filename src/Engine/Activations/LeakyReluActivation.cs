using System.Numerics;
using System.Runtime.CompilerServices;

namespace BackpropService.Engine.Activations;

/// <summary>σ(z) = z for z &gt; 0, else αz with α = 0.01; σ'(z) = 1 or α.</summary>
public sealed class LeakyReluActivation : Activation
{
    /// <summary>The slope α for negative inputs.</summary>
    public const double NegativeSlope = 0.01;

    public static readonly LeakyReluActivation Instance = new();

    public override ActivationKind Kind => ActivationKind.LeakyRelu;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first mini-batch, without waiting for tiered JIT
    public override void Forward<T>(ReadOnlySpan<T> weightedInput, Span<T> activation, int width)
    {
        T slope = T.CreateChecked(NegativeSlope);
        activation = activation[..weightedInput.Length];
        for (int i = 0; i < weightedInput.Length; i++)
        {
            T z = weightedInput[i];
            activation[i] = z > T.Zero ? z : slope * z;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first mini-batch, without waiting for tiered JIT
    public override void BackpropagateInPlace<T>(ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, Span<T> gradient, int width)
    {
        T slope = T.CreateChecked(NegativeSlope);
        weightedInput = weightedInput[..gradient.Length];
        for (int i = 0; i < gradient.Length; i++)
        {
            if (weightedInput[i] <= T.Zero) gradient[i] *= slope;
        }
    }
}
