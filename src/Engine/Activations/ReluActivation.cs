using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace BackpropService.Engine.Activations;

/// <summary>σ(z) = max(0, z), σ'(z) = 1 for z &gt; 0, else 0.</summary>
public sealed class ReluActivation : Activation
{
    public static readonly ReluActivation Instance = new();

    public override ActivationKind Kind => ActivationKind.Relu;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first mini-batch, without waiting for tiered JIT
    public override void Forward<T>(ReadOnlySpan<T> weightedInput, Span<T> activation, int width) =>
        TensorPrimitives.Max(weightedInput, T.Zero, activation);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first mini-batch, without waiting for tiered JIT
    public override void BackpropagateInPlace<T>(ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, Span<T> gradient, int width)
    {
        weightedInput = weightedInput[..gradient.Length];
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            // Same rule, Vector<T>.Count elements at a time: zero the gradient where z ≤ 0.
            ReadOnlySpan<Vector<T>> z = MemoryMarshal.Cast<T, Vector<T>>(weightedInput);
            Span<Vector<T>> g = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            for (int v = 0; v < g.Length; v++)
                g[v] = Vector.ConditionalSelect(Vector.LessThanOrEqual(z[v], Vector<T>.Zero), Vector<T>.Zero, g[v]);
            i = g.Length * Vector<T>.Count;
        }
        for (; i < gradient.Length; i++)
        {
            if (weightedInput[i] <= T.Zero) gradient[i] = T.Zero;
        }
    }
}
