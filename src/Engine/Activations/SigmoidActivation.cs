using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace BackpropService.Engine.Activations;

/// <summary>σ(z) = 1 / (1 + e^−z), σ'(z) = σ(z)(1 − σ(z)).</summary>
public sealed class SigmoidActivation : Activation
{
    public static readonly SigmoidActivation Instance = new();

    public override ActivationKind Kind => ActivationKind.Sigmoid;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first mini-batch, without waiting for tiered JIT
    public override void Forward<T>(ReadOnlySpan<T> weightedInput, Span<T> activation, int width) =>
        TensorPrimitives.Sigmoid(weightedInput, activation);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first mini-batch, without waiting for tiered JIT
    public override void BackpropagateInPlace<T>(ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, Span<T> gradient, int width)
    {
        activation = activation[..gradient.Length];
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            // g ⊙= a(1 − a), Vector<T>.Count elements at a time (the same operations, so the same bits).
            ReadOnlySpan<Vector<T>> a = MemoryMarshal.Cast<T, Vector<T>>(activation);
            Span<Vector<T>> g = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            for (int v = 0; v < g.Length; v++) g[v] *= a[v] * (Vector<T>.One - a[v]);
            i = g.Length * Vector<T>.Count;
        }
        for (; i < gradient.Length; i++)
        {
            T a = activation[i];
            gradient[i] *= a * (T.One - a);
        }
    }
}
