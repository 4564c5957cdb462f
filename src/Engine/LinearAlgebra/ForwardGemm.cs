using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// The forward product of a layer for batches of <see cref="MinRows"/> rows or more (and, with B copied
/// rather than transposed and A read along its columns, <see cref="SingleGemm"/>'s A·B and Aᵀ·B):
/// Z = α·A[m×k]·W[n×k]ᵀ (+ C) (+ bias), with ReLU or identity applied as Z is stored, into Z, into a
/// separate activation matrix, or both (inference skips Z).
/// <para>
/// Wᵀ is packed once per call (the threads share the work and the result) into slivers of <see cref="Wide"/>
/// columns (64 with AVX-512, 16 with AVX2; the last columns in slivers of 16), each k × width, zero-padded.
/// A is not packed: a register tile of 6 rows broadcasts A straight from its rows (6 × k floats stay in L1),
/// and runs over the whole of k against one sliver (from L2) with no blocking of k, then adds the bias,
/// applies the activation and stores, once per element.
/// </para>
/// <para>
/// Determinism: each element is s = Σ_p a_ip·w_jp by one FMA per p in order from 0, then z = α·s
/// (or s·α + C fused), then z + b_j, then max(z, 0) for ReLU, whatever the tile, the vector width
/// (AVX-512 and AVX2 give the same bits), the thread count or the blocking of columns.
/// </para>
/// </summary>
internal static unsafe class ForwardGemm
{
    /// <summary>From this many rows on, packing Wᵀ pays; below, <see cref="SingleGemm"/>'s dot kernel.</summary>
    public const int MinRows = 16;

    private const int Rows = 6, Narrow = 16;

    /// <summary>Packed Wᵀ per column block, in floats (512 KiB, about half of a core's L2).</summary>
    private const int BlockFloats = 128 * 1024;

    /// <summary>Products smaller than this many multiply-adds stay on one thread.</summary>
    private const long ParallelThreshold = 1L << 20;

    /// <summary>Whether the AVX-512 kernels run (Vector512 accelerated), else the AVX2 ones.</summary>
    internal static readonly bool UseAvx512 = Avx512F.IsSupported && Vector512.IsHardwareAccelerated
        && Environment.GetEnvironmentVariable("BACKPROP_GEMM_AVX2") != "1";

    /// <summary>Width of the full slivers: 64 columns (four Vector512) or 16 (two Vector256).</summary>
    private static readonly int Wide = UseAvx512 ? 64 : 16;

    [ThreadStatic] private static float[]? t_packed;
    [ThreadStatic] private static ForwardWork? t_work;

    /// <summary>
    /// Rows × columns of z = α·A·Wᵀ (+ C when <paramref name="accumulate"/>, read from <paramref name="z"/>)
    /// (+ bias), written to <paramref name="z"/> (may be null), and σ(z) for σ = ReLU when <paramref name="relu"/>
    /// else identity written to <paramref name="activation"/> (may be null). Leading dimension n for both.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, float* w, float* bias, float* z, float* activation, bool relu, int m, int n, int k,
        float alpha, bool accumulate, int threads, bool transposeA = false, bool transposeB = true)
    {
        if (m == 0 || n == 0) return;
        if (accumulate && z == null) throw new ArgumentException("accumulating needs z.");
        int padded = (n + Narrow - 1) / Narrow * Narrow;
        long needed = (long)padded * k;
        float[] buffer = t_packed is { } existing && existing.Length >= needed
            ? existing
            : (t_packed = GC.AllocateUninitializedArray<float>((int)Math.Max(needed, 16), pinned: true));
        float* packed = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));

        int parts = threads <= 1 || (long)m * n * k < ParallelThreshold ? 1 : Math.Min(threads, WorkerTeam.MaxParts);
        ForwardWork work = t_work ??= new ForwardWork();
        work.Set(a, w, bias, z, activation, packed, relu, m, n, k, alpha, accumulate);
        work.TransposeA = transposeA;
        work.TransposeB = transposeB;
        if (parts == 1)
        {
            Pack(w, n, k, packed, 0, n, transposeB);
            Compute(work, 0, m, 0, n);
            return;
        }
        work.Packing = true;
        WorkerTeam.Run(work, parts);
        work.Packing = false;
        WorkerTeam.Run(work, parts);
    }

    /// <summary>One product split into bands; reused per calling thread, so a call allocates nothing.</summary>
    private sealed class ForwardWork : ParallelWork
    {
        public float* A, W, Bias, Z, Activation, Packed;
        public bool Relu, Accumulate, Packing, TransposeA, TransposeB;
        public int M, N, K;
        public float Alpha;

        public void Set(float* a, float* w, float* bias, float* z, float* activation, float* packed, bool relu, int m, int n, int k, float alpha, bool accumulate)
        {
            A = a;
            W = w;
            Bias = bias;
            Z = z;
            Activation = activation;
            Packed = packed;
            (Relu, M, N, K, Alpha, Accumulate) = (relu, m, n, k, alpha, accumulate);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Execute(int part, int parts)
        {
            if (Packing)
            {
                (int start, int end) = Band(N, Wide, part, parts);
                if (start < end) Pack(W, N, K, Packed, start, end, TransposeB);
                return;
            }
            // Rows when there are enough of them (every thread reads all of Wᵀ, packed once), else columns.
            if (M >= 2 * Rows * parts && (4L * M >= N || N < 4 * Wide * parts))
            {
                (int start, int end) = Band(M, Rows, part, parts);
                if (start < end) Compute(this, start, end, 0, N);
            }
            else
            {
                (int start, int end) = Band(N, Wide, part, parts);
                if (start < end) Compute(this, 0, M, start, end);
            }
        }

        private static (int Start, int End) Band(int length, int grain, int part, int parts)
        {
            int units = (length + grain - 1) / grain;
            int start = (int)((long)units * part / parts) * grain;
            int end = (int)((long)units * (part + 1) / parts) * grain;
            return (Math.Min(start, length), Math.Min(end, length));
        }
    }

    /// <summary>The sliver that starts at column j0 (a multiple of 16): <see cref="Wide"/> columns, or 16 near the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SliverWidth(int j0, int n) => n - j0 >= Wide ? Wide : Narrow;

    /// <summary>
    /// Columns [start, end) of op(B) into their slivers: sliver j0 at packed + j0·k, element [p·width + jj] =
    /// op(B)[p, j0 + jj]. op(B) = Wᵀ for W stored n × k (<paramref name="transposed"/>), else B stored k × n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pack(float* w, int n, int k, float* packed, int start, int end, bool transposed)
    {
        if (!transposed)
        {
            for (int j0 = start; j0 < end; )
            {
                int width = SliverWidth(j0, n);
                int valid = Math.Min(width, n - j0);
                float* target = packed + (long)j0 * k;
                for (int p = 0; p < k; p++)
                {
                    float* source = w + (long)p * n + j0;
                    float* row = target + (long)p * width;
                    int jj = 0;
                    for (; jj + 8 <= valid; jj += 8) Vector256.Store(Vector256.Load(source + jj), row + jj);
                    for (; jj < valid; jj++) row[jj] = source[jj];
                    for (; jj < width; jj++) row[jj] = 0f;
                }
                j0 += width;
            }
            return;
        }
        for (int j0 = start; j0 < end; )
        {
            int width = SliverWidth(j0, n);
            float* target = packed + (long)j0 * k;
            int valid = Math.Min(width, n - j0);
            int jj = 0;
            if (Avx.IsSupported)
            {
                // Eight rows of W at a time, transposed in 8×8 blocks.
                for (; jj + 8 <= valid; jj += 8)
                {
                    float* source = w + (long)(j0 + jj) * k;
                    int p = 0;
                    for (; p + 8 <= k; p += 8) Transpose8x8(source + p, k, target + (long)p * width + jj, width);
                    for (; p < k; p++)
                        for (int r = 0; r < 8; r++) target[(long)p * width + jj + r] = source[(long)r * k + p];
                }
            }
            for (; jj < width; jj++)
            {
                if (jj < valid)
                {
                    float* source = w + (long)(j0 + jj) * k;
                    for (int p = 0; p < k; p++) target[(long)p * width + jj] = source[p];
                }
                else
                {
                    for (int p = 0; p < k; p++) target[(long)p * width + jj] = 0f;
                }
            }
            j0 += width;
        }
    }

    /// <summary>target[q·ldt + r] = source[r·lds + q] for r, q in 0..7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* source, int lds, float* target, int ldt)
    {
        Vector256<float> r0 = Avx.LoadVector256(source), r1 = Avx.LoadVector256(source + lds),
            r2 = Avx.LoadVector256(source + 2 * lds), r3 = Avx.LoadVector256(source + 3 * lds),
            r4 = Avx.LoadVector256(source + 4 * lds), r5 = Avx.LoadVector256(source + 5 * lds),
            r6 = Avx.LoadVector256(source + 6 * lds), r7 = Avx.LoadVector256(source + 7 * lds);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3),
            t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE),
            u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(target, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(target + ldt, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(target + 2 * ldt, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(target + 3 * ldt, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(target + 4 * ldt, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(target + 5 * ldt, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(target + 6 * ldt, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(target + 7 * ldt, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>Rows [rowStart, rowEnd) × columns [columnStart, columnEnd) (columnStart a sliver start).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compute(ForwardWork work, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        int n = work.N, k = work.K;
        // Row i of op(A) runs along k with stride 1 (A stored m × k) or m (A stored k × m, transposed).
        long rowStep = work.TransposeA ? 1 : k;
        int stride = work.TransposeA ? work.M : 1;
        // Columns in blocks whose packed Wᵀ stays in L2 while every 6-row panel of the band runs over it.
        int blockColumns = Math.Max(Wide, BlockFloats / Math.Max(k, 1) / Wide * Wide);
        float* tile = stackalloc float[Rows * 64];
        for (int jc = columnStart; jc < columnEnd; jc += blockColumns)
        {
            int jcEnd = Math.Min(columnEnd, jc + blockColumns);
            for (int i = rowStart; i < rowEnd; i += Rows)
            {
                int rows = Math.Min(Rows, rowEnd - i);
                // A partial panel repeats its last row; the repeats are computed and dropped.
                float* a0 = work.A + i * rowStep;
                float* a1 = work.A + (i + Math.Min(1, rows - 1)) * rowStep;
                float* a2 = work.A + (i + Math.Min(2, rows - 1)) * rowStep;
                float* a3 = work.A + (i + Math.Min(3, rows - 1)) * rowStep;
                float* a4 = work.A + (i + Math.Min(4, rows - 1)) * rowStep;
                float* a5 = work.A + (i + Math.Min(5, rows - 1)) * rowStep;
                for (int j0 = jc; j0 < jcEnd; )
                {
                    int width = SliverWidth(j0, n);
                    float* sliver = work.Packed + (long)j0 * k;
                    if (!UseAvx512) Kernel6x16Avx2(a0, a1, a2, a3, a4, a5, stride, sliver, k, tile);
                    else if (width == 64) Kernel6x64(a0, a1, a2, a3, a4, a5, stride, sliver, k, tile);
                    else Kernel6x16(a0, a1, a2, a3, a4, a5, stride, sliver, k, tile);
                    Store(work, tile, width, i, rows, j0, Math.Min(width, n - j0));
                    j0 += width;
                }
            }
        }
    }

    /// <summary>The sums of a tile (rows × width in <paramref name="tile"/>) to z and σ(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Store(ForwardWork work, float* tile, int width, int row, int rows, int column, int columns)
    {
        int n = work.N;
        float alpha = work.Alpha;
        bool accumulate = work.Accumulate, relu = work.Relu;
        float* bias = work.Bias;
        for (int r = 0; r < rows; r++)
        {
            float* s = tile + r * width;
            long offset = (long)(row + r) * n + column;
            float* z = work.Z == null ? null : work.Z + offset;
            float* a = work.Activation == null ? null : work.Activation + offset;
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> scale = Vector256.Create(alpha);
                for (; j + 8 <= columns; j += 8)
                {
                    Vector256<float> value = accumulate ? Fma.MultiplyAdd(Vector256.Load(s + j), scale, Vector256.Load(z + j)) : Vector256.Load(s + j) * scale;
                    if (bias != null) value += Vector256.Load(bias + column + j);
                    if (z != null) Vector256.Store(value, z + j);
                    if (a != null) Vector256.Store(relu ? Vector256.Max(value, Vector256<float>.Zero) : value, a + j);
                }
            }
            for (; j < columns; j++)
            {
                float value = accumulate ? MathF.FusedMultiplyAdd(s[j], alpha, z[j]) : s[j] * alpha;
                if (bias != null) value += bias[column + j];
                if (z != null) z[j] = value;
                if (a != null) a[j] = relu ? MathF.Max(value, 0f) : value;
            }
        }
    }

    // ------------------------------------------------------------------------------------------- kernels
    // Each: tile[r·width + j] = Σ_p a_r[p·stride]·sliver[p·width + j], one FMA per p in order.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x64(float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, int stride, float* b, int k, float* tile)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default,
            c10 = default, c11 = default, c12 = default, c13 = default,
            c20 = default, c21 = default, c22 = default, c23 = default,
            c30 = default, c31 = default, c32 = default, c33 = default,
            c40 = default, c41 = default, c42 = default, c43 = default,
            c50 = default, c51 = default, c52 = default, c53 = default;
        for (long p = 0, end = (long)k * stride; p < end; p += stride)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16), b2 = Vector512.Load(b + 32), b3 = Vector512.Load(b + 48);
            Vector512<float> x = Vector512.Create(a0[p]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(x, b2, c02); c03 = Avx512F.FusedMultiplyAdd(x, b3, c03);
            x = Vector512.Create(a1[p]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(x, b2, c12); c13 = Avx512F.FusedMultiplyAdd(x, b3, c13);
            x = Vector512.Create(a2[p]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(x, b2, c22); c23 = Avx512F.FusedMultiplyAdd(x, b3, c23);
            x = Vector512.Create(a3[p]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(x, b2, c32); c33 = Avx512F.FusedMultiplyAdd(x, b3, c33);
            x = Vector512.Create(a4[p]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            c42 = Avx512F.FusedMultiplyAdd(x, b2, c42); c43 = Avx512F.FusedMultiplyAdd(x, b3, c43);
            x = Vector512.Create(a5[p]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            c52 = Avx512F.FusedMultiplyAdd(x, b2, c52); c53 = Avx512F.FusedMultiplyAdd(x, b3, c53);
            b += 64;
        }
        c00.Store(tile); c01.Store(tile + 16); c02.Store(tile + 32); c03.Store(tile + 48);
        c10.Store(tile + 64); c11.Store(tile + 80); c12.Store(tile + 96); c13.Store(tile + 112);
        c20.Store(tile + 128); c21.Store(tile + 144); c22.Store(tile + 160); c23.Store(tile + 176);
        c30.Store(tile + 192); c31.Store(tile + 208); c32.Store(tile + 224); c33.Store(tile + 240);
        c40.Store(tile + 256); c41.Store(tile + 272); c42.Store(tile + 288); c43.Store(tile + 304);
        c50.Store(tile + 320); c51.Store(tile + 336); c52.Store(tile + 352); c53.Store(tile + 368);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, int stride, float* b, int k, float* tile)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (long p = 0, end = (long)k * stride; p < end; p += stride)
        {
            Vector512<float> b0 = Vector512.Load(b);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[p]), b0, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[p]), b0, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[p]), b0, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[p]), b0, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a4[p]), b0, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a5[p]), b0, c5);
            b += 16;
        }
        c0.Store(tile); c1.Store(tile + 16); c2.Store(tile + 32); c3.Store(tile + 48); c4.Store(tile + 64); c5.Store(tile + 80);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16Avx2(float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, int stride, float* b, int k, float* tile)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (long p = 0, end = (long)k * stride; p < end; p += stride)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> x = Vector256.Create(a0[p]);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[p]);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[p]);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[p]);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[p]);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[p]);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
            b += 16;
        }
        c00.Store(tile); c01.Store(tile + 8); c10.Store(tile + 16); c11.Store(tile + 24); c20.Store(tile + 32); c21.Store(tile + 40);
        c30.Store(tile + 48); c31.Store(tile + 56); c40.Store(tile + 64); c41.Store(tile + 72); c50.Store(tile + 80); c51.Store(tile + 88);
    }
}
