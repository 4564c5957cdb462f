using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// General matrix products on row-major spans, in the three forms backprop needs:
/// forward <c>Z = A·Wᵀ</c>, BP2 <c>δ·W</c>, and BP4 <c>δᵀ·A</c>.
/// Every element of C is summed in the same order whatever the matrix sizes or the number of threads,
/// so results are bit-reproducible.
/// <para>
/// <see cref="float"/> runs on FMA kernels (AVX2, or AVX-512 where the processor has it), chosen in one place,
/// <see cref="RunSingle"/>: A·Bᵀ below <see cref="OuterProductKernel.MinRows"/> rows (one sample, small batches)
/// on <see cref="DotProductKernel"/>, everything else on <see cref="OuterProductKernel"/>; large products may
/// use several threads. <see cref="double"/> (gradient checks, the step-through) runs on the plain reference
/// loops below.
/// </para>
/// </summary>
public static class Gemm
{
    /// <summary>
    /// Whether the float products may use AVX-512 (Vector512) where the processor has it; true by default. False
    /// keeps them on AVX2 (Vector256), which gives the same bits: benchmarks set it to measure the AVX2 kernels.
    /// Read once per product.
    /// </summary>
    public static bool AllowAvx512 { get; set; } = true;

    /// <summary>The instruction set the float products run on now: "AVX-512", "AVX2", or "none" (the reference loops).</summary>
    public static string InstructionSet =>
        !SingleIsAccelerated ? "none" : AllowAvx512 && OuterProductKernel.Avx512Available ? "AVX-512" : "AVX2";

    internal static bool SingleIsAccelerated => Fma.IsSupported && Avx2.IsSupported;

    /// <summary>C[m×n] = α·A[m×k]·B[n×k]ᵀ, added to C when <paramref name="accumulate"/>.</summary>
    public static void MultiplyTransposedB<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, T alpha, bool accumulate, int threads = 1)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        MultiplyTransposedB(a, b, ReadOnlySpan<T>.Empty, c, m, n, k, alpha, accumulate, threads);

    /// <summary>
    /// C[m×n] = α·A[m×k]·B[n×k]ᵀ (+ C when <paramref name="accumulate"/>) + bias[j] on every row when
    /// <paramref name="bias"/> is not empty: the forward pass zˡ = aˡ⁻¹·Wˡᵀ + bˡ in one sweep over C.
    /// </summary>
    public static void MultiplyTransposedB<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> bias, Span<T> c, int m, int n, int k, T alpha, bool accumulate, int threads = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(a.Length, m * k, b.Length, n * k, c.Length, m * n);
        if (!bias.IsEmpty && bias.Length < n) throw new ArgumentException($"bias holds {bias.Length} elements, needs {n}.", nameof(bias));
        if (typeof(T) == typeof(float) && SingleIsAccelerated)
        {
            RunSingle(a, b, bias, c, default, relu: false, m, n, k, alpha, accumulate, transposeA: false, transposeB: true, threads);
            return;
        }
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<T> aRow = a.Slice(i * k, k);
            Span<T> cRow = c.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                T dot = alpha * TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
                cRow[j] = accumulate ? cRow[j] + dot : dot;
            }
            if (!bias.IsEmpty) TensorPrimitives.Add(cRow, bias[..n], cRow);
        }
    }

    /// <summary>
    /// The forward product of a layer with its activation fused into the store, when a fused kernel exists
    /// for it (float, AVX2 + FMA, at least <see cref="OuterProductKernel.MinRows"/> rows): z = a·Wᵀ + b into
    /// <paramref name="z"/> (skipped when empty) and σ(z) into <paramref name="activation"/> (skipped when empty),
    /// σ = ReLU when <paramref name="relu"/>, else identity. Gives the bits of <see cref="MultiplyTransposedB{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, T, bool, int)"/>
    /// followed by the activation's own Forward. Returns false (nothing written) when there is no such kernel.
    /// </summary>
    internal static bool TryForwardFused<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> z, Span<T> activation,
        bool relu, int m, int n, int k, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !SingleIsAccelerated || m < OuterProductKernel.MinRows) return false;
        CheckLengths(a.Length, m * k, weights.Length, n * k, Math.Max(z.Length, activation.Length), m * n);
        if ((!z.IsEmpty && z.Length < m * n) || (!activation.IsEmpty && activation.Length < m * n) || bias.Length < n)
            throw new ArgumentException("z, activation or bias too short.");
        RunSingle(a, weights, bias, z, activation, relu, m, n, k, T.One, accumulate: false, transposeA: false, transposeB: true, threads);
        return true;
    }

    /// <summary>C[m×n] = α·A[m×k]·B[k×n], added to C when <paramref name="accumulate"/>.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, T alpha, bool accumulate, int threads = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(a.Length, m * k, b.Length, k * n, c.Length, m * n);
        if (typeof(T) == typeof(float) && SingleIsAccelerated)
        {
            RunSingle(a, b, default, c, default, relu: false, m, n, k, alpha, accumulate, transposeA: false, transposeB: false, threads);
            return;
        }
        if (!accumulate) c[..(m * n)].Clear();
        for (int i = 0; i < m; i++)
        {
            Span<T> cRow = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                // c_i· += α a_ip b_p·
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), alpha * a[i * k + p], cRow, cRow);
            }
        }
    }

    /// <summary>C[m×n] = α·A[k×m]ᵀ·B[k×n], added to C when <paramref name="accumulate"/>.</summary>
    public static void MultiplyTransposedA<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, T alpha, bool accumulate, int threads = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(a.Length, k * m, b.Length, k * n, c.Length, m * n);
        if (typeof(T) == typeof(float) && SingleIsAccelerated)
        {
            RunSingle(a, b, default, c, default, relu: false, m, n, k, alpha, accumulate, transposeA: true, transposeB: false, threads);
            return;
        }
        if (!accumulate) c[..(m * n)].Clear();
        for (int p = 0; p < k; p++)
        {
            ReadOnlySpan<T> bRow = b.Slice(p * n, n);
            for (int i = 0; i < m; i++)
            {
                Span<T> cRow = c.Slice(i * n, n);
                // c_i· += α a_pi b_p·
                TensorPrimitives.MultiplyAdd(bRow, alpha * a[p * m + i], cRow, cRow);
            }
        }
    }

    /// <summary>
    /// The one place that picks a float kernel. z[m×n] = α·op(A)·op(B) (+ z) (+ bias), written to z and/or σ(z) to
    /// activation (an empty span is not written; σ = ReLU when <paramref name="relu"/>, else identity).
    /// A·Bᵀ with few rows and no activation runs on the dot-product kernel (nothing to pack); every other product
    /// on the outer-product kernel. Lengths are checked by the caller; T is float.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunSingle<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> bias, Span<T> z, Span<T> activation, bool relu,
        int m, int n, int k, T alpha, bool accumulate, bool transposeA, bool transposeB, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        float scale = Unsafe.As<T, float>(ref alpha);
        fixed (T* pa = a, pb = b, pbias = bias, pz = z, pactivation = activation)
        {
            float* biasOrNull = bias.IsEmpty ? null : (float*)pbias;
            float* zOrNull = z.IsEmpty ? null : (float*)pz;
            float* activationOrNull = activation.IsEmpty ? null : (float*)pactivation;
            if (transposeB && !transposeA && m < OuterProductKernel.MinRows && activationOrNull == null)
                DotProductKernel.Run((float*)pa, (float*)pb, biasOrNull, zOrNull, m, n, k, scale, accumulate, threads);
            else
                OuterProductKernel.Run((float*)pa, (float*)pb, biasOrNull, zOrNull, activationOrNull, relu, m, n, k, scale, accumulate,
                    transposeA, transposeB, AllowAvx512, threads);
        }
    }

    private static void CheckLengths(int aLength, int aNeeded, int bLength, int bNeeded, int cLength, int cNeeded)
    {
        if (aNeeded < 0 || bNeeded < 0 || cNeeded < 0) throw new ArgumentException("matrix sizes must not be negative.");
        if (aLength < aNeeded) throw new ArgumentException($"A holds {aLength} elements, needs {aNeeded}.");
        if (bLength < bNeeded) throw new ArgumentException($"B holds {bLength} elements, needs {bNeeded}.");
        if (cLength < cNeeded) throw new ArgumentException($"C holds {cLength} elements, needs {cNeeded}.");
    }
}
