using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BackpropService.Engine.Activations;

/// <summary>σ'(z) written in terms of a = σ(z), for activations whose derivative is a function of their output.</summary>
internal interface IDerivativeFromOutput<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Of(T activation);

    static abstract Vector<T> Of(Vector<T> activation);
}

/// <summary>The ⊙ σ'(z) of BP1 and BP2 for such activations: <c>gradient ⊙= σ'(a)</c>, vectorized.</summary>
internal static class DerivativeKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first mini-batch, without waiting for tiered JIT
    public static void MultiplyInPlace<T, TDerivative>(ReadOnlySpan<T> activation, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDerivative : IDerivativeFromOutput<T>
    {
        activation = activation[..gradient.Length];
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            // Vector<T>.Count elements at a time; the same operations as the scalar tail, so the same bits.
            ReadOnlySpan<Vector<T>> a = MemoryMarshal.Cast<T, Vector<T>>(activation);
            Span<Vector<T>> g = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            for (int v = 0; v < g.Length; v++) g[v] *= TDerivative.Of(a[v]);
            i = g.Length * Vector<T>.Count;
        }
        for (; i < gradient.Length; i++) gradient[i] *= TDerivative.Of(activation[i]);
    }
}
