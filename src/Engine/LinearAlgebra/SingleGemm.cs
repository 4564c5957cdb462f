using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// Single-precision products with Vector256 + FMA, the hot path of training and inference.
/// <para>
/// <b>A·B and Aᵀ·B</b> (BP2, BP4) from <see cref="ForwardGemm.MinRows"/> rows and k ≥ <see cref="ShortK"/> run on
/// <see cref="ForwardGemm"/> (B's slivers copied, Aᵀ broadcast along its rows). Below that, the classic packed scheme. B is packed a K_C × N_C panel at a time into
/// slivers of 16 columns, A a M_C × K_C block at a time into slivers of 6 rows (both zero-padded), and a 6×16
/// register tile (12 accumulators) runs over each pair of slivers: a 16-column B sliver (16 KiB) stays in L1
/// while the 6-row A slivers stream from L2.
/// </para>
/// <para>
/// <b>A·Bᵀ</b> (forward pass, inference) below <see cref="ForwardGemm.MinRows"/> rows: both operands run along
/// k, so a 2×4 tile of dot products (8 accumulators over k, 8 lanes each) needs no packing; one sample (m = 1)
/// is the same kernel. From <see cref="ForwardGemm.MinRows"/> rows on, <see cref="ForwardGemm"/>.
/// </para>
/// <para>
/// Determinism: every element of C is computed by the same sequence of operations whatever the tile it falls
/// in, the matrix sizes around it or the thread that computes it. Threads split the rows or columns of C,
/// never k; the K_C blocking is a constant.
/// </para>
/// </summary>
internal static unsafe class SingleGemm
{
    private const int TileRows = 6, TileColumns = 16;          // register tile of the packed kernel
    private const int BlockK = 256, BlockRows = 96, BlockColumns = 1024;
    private const int DotRows = 2, DotColumns = 4;              // register tile of the dot kernel
    private const int DotBlockRows = 64;

    /// <summary>
    /// Below this k, A·B and Aᵀ·B stay on the kernel below, which stores its tile straight into C (the forward
    /// kernel's store through a tile buffer costs more than its sums when k is this short, e.g. BP4 of W1, k = 10).
    /// </summary>
    private const int ShortK = 32;

    /// <summary>Products smaller than this many multiply-adds stay on one thread (a hand-off costs a few µs).</summary>
    private const long ParallelThreshold = 1L << 20;

    public static bool IsSupported => Fma.IsSupported && Avx2.IsSupported;

    [ThreadStatic] private static float[]? t_packedA;
    [ThreadStatic] private static float[]? t_packedB;
    [ThreadStatic] private static GemmWork? t_work;

    /// <summary>C[m×n] = α·op(A)·B (op(A) = A[m×k] or A[k×m]ᵀ), or C += that when <paramref name="accumulate"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, float alpha, bool accumulate, bool transposeA, int threads)
    {
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0)
            {
                if (!accumulate) new Span<float>(pc, m * n).Clear();
                return;
            }
            if (m >= ForwardGemm.MinRows && k >= ShortK)
            {
                // The kernel of the forward pass, with B's slivers copied rather than transposed.
                ForwardGemm.Run(pa, pb, null, pc, null, relu: false, m, n, k, alpha, accumulate, threads, transposeA, transposeB: false);
                return;
            }
            int parts = Parts(m, n, k, threads);
            if (parts == 1)
            {
                Packed(pa, pb, pc, m, n, k, n, alpha, accumulate, transposeA, 0, m, 0, n);
                return;
            }
            GemmWork work = t_work ??= new GemmWork();
            work.Set(transposeA ? GemmKind.TransposedA : GemmKind.Plain, pa, pb, pc, null, m, n, k, alpha, accumulate);
            WorkerTeam.Run(work, parts);
        }
    }

    /// <summary>C[m×n] = α·A[m×k]·B[n×k]ᵀ (+ C when <paramref name="accumulate"/>) (+ bias[j] per column when given).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c, int m, int n, int k, float alpha, bool accumulate, int threads)
    {
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            float* biasOrNull = bias.IsEmpty ? null : pbias;
            if (m >= ForwardGemm.MinRows)
            {
                // Enough rows to pay for packing Bᵀ: the forward kernel (bias added as C is stored).
                ForwardGemm.Run(pa, pb, biasOrNull, pc, null, relu: false, m, n, k, alpha, accumulate, threads);
                return;
            }
            int parts = Parts(m, n, k, threads);
            if (parts == 1)
            {
                Dot(pa, pb, biasOrNull, pc, n, k, alpha, accumulate, 0, m, 0, n);
                return;
            }
            GemmWork work = t_work ??= new GemmWork();
            work.Set(GemmKind.TransposedB, pa, pb, pc, biasOrNull, m, n, k, alpha, accumulate);
            WorkerTeam.Run(work, parts);
        }
    }

    private static int Parts(int m, int n, int k, int threads)
    {
        if (threads <= 1 || (long)m * n * k < ParallelThreshold) return 1;
        return Math.Min(threads, WorkerTeam.MaxParts);
    }

    private enum GemmKind { Plain, TransposedA, TransposedB }

    /// <summary>One product split into bands of C's rows or columns; reused per calling thread.</summary>
    private sealed class GemmWork : ParallelWork
    {
        private GemmKind _kind;
        private float* _a, _b, _c, _bias;
        private int _m, _n, _k;
        private float _alpha;
        private bool _accumulate;

        public void Set(GemmKind kind, float* a, float* b, float* c, float* bias, int m, int n, int k, float alpha, bool accumulate)
        {
            _kind = kind;
            _a = a;
            _b = b;
            _c = c;
            _bias = bias;
            (_m, _n, _k, _alpha, _accumulate) = (m, n, k, alpha, accumulate);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Execute(int part, int parts)
        {
            int columnGrain = _kind == GemmKind.TransposedB ? DotColumns : TileColumns;
            int rowGrain = _kind == GemmKind.TransposedB ? DotRows : TileRows;
            // Split the columns when there are enough of them (each thread then reads only its part of the
            // weights), otherwise the rows. The packed kernel splits rows when the duplicated packing of B
            // (vector copies) costs less than the duplicated packing of A (gathers).
            bool splitRows = _kind == GemmKind.TransposedB ? _n < 4 * columnGrain * parts
                : _m >= 2 * rowGrain * parts && (4L * _m >= _n || _n < 4 * columnGrain * parts);
            if (!splitRows)
            {
                (int start, int end) = Band(_n, columnGrain, part, parts);
                if (start < end) Run(0, _m, start, end);
            }
            else
            {
                (int start, int end) = Band(_m, rowGrain, part, parts);
                if (start < end) Run(start, end, 0, _n);
            }
        }

        private void Run(int rowStart, int rowEnd, int columnStart, int columnEnd)
        {
            if (_kind == GemmKind.TransposedB)
                Dot(_a, _b, _bias, _c, _n, _k, _alpha, _accumulate, rowStart, rowEnd, columnStart, columnEnd);
            else
                Packed(_a, _b, _c, _m, _n, _k, _n, _alpha, _accumulate, _kind == GemmKind.TransposedA, rowStart, rowEnd, columnStart, columnEnd);
        }

        private static (int Start, int End) Band(int length, int grain, int part, int parts)
        {
            int units = (length + grain - 1) / grain;
            int start = (int)((long)units * part / parts) * grain;
            int end = (int)((long)units * (part + 1) / parts) * grain;
            return (Math.Min(start, length), Math.Min(end, length));
        }
    }

    // ---------------------------------------------------------------- packed kernel: A·B and Aᵀ·B

    /// <summary>
    /// Rows [rowStart, rowEnd) × columns [columnStart, columnEnd) of C = α·op(A)·B (+ C). A is m×k row-major,
    /// or k×m when <paramref name="transposeA"/>; B is k×n row-major; C has leading dimension <paramref name="ldc"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Packed(float* a, float* b, float* c, int m, int n, int k, int ldc, float alpha, bool accumulate, bool transposeA,
        int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        float[] packedA = t_packedA ??= GC.AllocateUninitializedArray<float>(BlockRows * BlockK, pinned: true);
        float[] packedB = t_packedB ??= GC.AllocateUninitializedArray<float>(BlockK * BlockColumns, pinned: true);
        float* pa = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(packedA));
        float* pb = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(packedB));
        float* tile = stackalloc float[TileRows * TileColumns];

        for (int jc = columnStart; jc < columnEnd; jc += BlockColumns)
        {
            int nc = Math.Min(BlockColumns, columnEnd - jc);
            for (int pc = 0; pc < k; pc += BlockK)
            {
                int kc = Math.Min(BlockK, k - pc);
                bool overwrite = pc == 0 && !accumulate;
                PackB(b + (long)pc * n + jc, n, kc, nc, pb);
                for (int ic = rowStart; ic < rowEnd; ic += BlockRows)
                {
                    int mc = Math.Min(BlockRows, rowEnd - ic);
                    if (transposeA) PackATransposed(a + (long)pc * m + ic, m, kc, mc, pa);
                    else PackA(a + (long)ic * k + pc, k, kc, mc, pa);
                    for (int jr = 0; jr < nc; jr += TileColumns)
                    {
                        int columns = Math.Min(TileColumns, nc - jr);
                        float* bSliver = pb + (long)jr * kc;
                        for (int ir = 0; ir < mc; ir += TileRows)
                        {
                            int rows = Math.Min(TileRows, mc - ir);
                            float* cTile = c + (long)(ic + ir) * ldc + jc + jr;
                            if (rows == TileRows && columns == TileColumns)
                            {
                                Kernel6x16(pa + (long)ir * kc, bSliver, kc, cTile, ldc, alpha, overwrite);
                            }
                            else
                            {
                                Kernel6x16(pa + (long)ir * kc, bSliver, kc, tile, TileColumns, 1f, overwrite: true);
                                StoreEdge(tile, cTile, ldc, rows, columns, alpha, overwrite);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>B[kc×nc] (leading dimension ldb) into slivers of 16 columns, each kc × 16, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(float* b, int ldb, int kc, int nc, float* packed)
    {
        for (int jr = 0; jr < nc; jr += TileColumns)
        {
            int columns = Math.Min(TileColumns, nc - jr);
            float* source = b + jr;
            float* target = packed + (long)jr * kc;
            if (columns == TileColumns)
            {
                for (int p = 0; p < kc; p++)
                {
                    Vector256.Store(Vector256.Load(source), target);
                    Vector256.Store(Vector256.Load(source + 8), target + 8);
                    source += ldb;
                    target += TileColumns;
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    int j = 0;
                    for (; j < columns; j++) target[j] = source[j];
                    for (; j < TileColumns; j++) target[j] = 0f;
                    source += ldb;
                    target += TileColumns;
                }
            }
        }
    }

    /// <summary>A[mc×kc] (row-major, leading dimension lda) into slivers of 6 rows, each kc × 6, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(float* a, int lda, int kc, int mc, float* packed)
    {
        for (int ir = 0; ir < mc; ir += TileRows)
        {
            int rows = Math.Min(TileRows, mc - ir);
            float* target = packed + (long)ir * kc;
            for (int r = 0; r < TileRows; r++)
            {
                if (r < rows)
                {
                    float* source = a + (long)(ir + r) * lda;
                    for (int p = 0; p < kc; p++) target[p * TileRows + r] = source[p];
                }
                else
                {
                    for (int p = 0; p < kc; p++) target[p * TileRows + r] = 0f;
                }
            }
        }
    }

    /// <summary>Aᵀ block: A stored k × m (leading dimension lda); rows i of op(A) are columns of A.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackATransposed(float* a, int lda, int kc, int mc, float* packed)
    {
        for (int ir = 0; ir < mc; ir += TileRows)
        {
            int rows = Math.Min(TileRows, mc - ir);
            float* target = packed + (long)ir * kc;
            float* source = a + ir;
            for (int p = 0; p < kc; p++)
            {
                int r = 0;
                for (; r < rows; r++) target[r] = source[r];
                for (; r < TileRows; r++) target[r] = 0f;
                source += lda;
                target += TileRows;
            }
        }
    }

    /// <summary>
    /// The 6×16 register tile: s = Σ_p a[p][r]·b[p][j] (one FMA per p, in order), then
    /// C = α·s when <paramref name="overwrite"/>, else C = s·α + C (fused).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(float* a, float* b, int kc, float* c, int ldc, float alpha, bool overwrite)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> x = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
            a += TileRows;
            b += TileColumns;
        }

        Vector256<float> scale = Vector256.Create(alpha);
        StoreRow(c, c00, c01, scale, overwrite);
        StoreRow(c + ldc, c10, c11, scale, overwrite);
        StoreRow(c + 2 * ldc, c20, c21, scale, overwrite);
        StoreRow(c + 3 * ldc, c30, c31, scale, overwrite);
        StoreRow(c + 4 * ldc, c40, c41, scale, overwrite);
        StoreRow(c + 5 * ldc, c50, c51, scale, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> low, Vector256<float> high, Vector256<float> scale, bool overwrite)
    {
        if (overwrite)
        {
            Vector256.Store(low * scale, c);
            Vector256.Store(high * scale, c + 8);
        }
        else
        {
            Vector256.Store(Fma.MultiplyAdd(low, scale, Vector256.Load(c)), c);
            Vector256.Store(Fma.MultiplyAdd(high, scale, Vector256.Load(c + 8)), c + 8);
        }
    }

    /// <summary>The valid part of a partial tile, with exactly the arithmetic of <see cref="StoreRow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreEdge(float* tile, float* c, int ldc, int rows, int columns, float alpha, bool overwrite)
    {
        for (int r = 0; r < rows; r++)
        {
            float* source = tile + r * TileColumns;
            float* target = c + (long)r * ldc;
            for (int j = 0; j < columns; j++)
                target[j] = overwrite ? source[j] * alpha : MathF.FusedMultiplyAdd(source[j], alpha, target[j]);
        }
    }

    // ---------------------------------------------------------------- dot kernel: A·Bᵀ

    /// <summary>
    /// Rows [rowStart, rowEnd) × columns [columnStart, columnEnd) of C = α·A·Bᵀ (+ C) (+ bias), A m×k and B n×k
    /// row-major, C with leading dimension <paramref name="ldc"/>. Each element: 8 lane sums over k (one FMA per
    /// step of 8, the last step masked), added pairwise ((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7)), then
    /// z = α·s, z = s·α + C if accumulating, then z + bias.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot(float* a, float* b, float* bias, float* c, int ldc, int k, float alpha, bool accumulate,
        int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        for (int i0 = rowStart; i0 < rowEnd; i0 += DotBlockRows)
        {
            int i1 = Math.Min(rowEnd, i0 + DotBlockRows);
            for (int j = columnStart; j < columnEnd; j += DotColumns)
            {
                int columns = Math.Min(DotColumns, columnEnd - j);
                // A partial group repeats its last row of B; the repeats are computed and dropped.
                float* b0 = b + (long)j * k;
                float* b1 = b + (long)(j + Math.Min(1, columns - 1)) * k;
                float* b2 = b + (long)(j + Math.Min(2, columns - 1)) * k;
                float* b3 = b + (long)(j + Math.Min(3, columns - 1)) * k;
                int i = i0;
                for (; i + DotRows <= i1; i += DotRows)
                {
                    (Vector128<float> row0, Vector128<float> row1) = Dot2x4(a + (long)i * k, a + (long)(i + 1) * k, b0, b1, b2, b3, k);
                    StoreDots(row0, c + (long)i * ldc + j, bias == null ? null : bias + j, columns, alpha, accumulate);
                    StoreDots(row1, c + (long)(i + 1) * ldc + j, bias == null ? null : bias + j, columns, alpha, accumulate);
                }
                if (i < i1)
                {
                    Vector128<float> row = Dot1x4(a + (long)i * k, b0, b1, b2, b3, k);
                    StoreDots(row, c + (long)i * ldc + j, bias == null ? null : bias + j, columns, alpha, accumulate);
                }
            }
        }
    }

    /// <summary>Mask of the first <paramref name="count"/> (0..8) lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TailMask(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static (Vector128<float>, Vector128<float>) Dot2x4(float* a0, float* a1, float* b0, float* b1, float* b2, float* b3, int k)
    {
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            Vector256<float> x0 = Vector256.Load(a0 + p), x1 = Vector256.Load(a1 + p);
            Vector256<float> y = Vector256.Load(b0 + p);
            s00 = Fma.MultiplyAdd(x0, y, s00); s10 = Fma.MultiplyAdd(x1, y, s10);
            y = Vector256.Load(b1 + p);
            s01 = Fma.MultiplyAdd(x0, y, s01); s11 = Fma.MultiplyAdd(x1, y, s11);
            y = Vector256.Load(b2 + p);
            s02 = Fma.MultiplyAdd(x0, y, s02); s12 = Fma.MultiplyAdd(x1, y, s12);
            y = Vector256.Load(b3 + p);
            s03 = Fma.MultiplyAdd(x0, y, s03); s13 = Fma.MultiplyAdd(x1, y, s13);
        }
        if (p < k)
        {
            Vector256<float> mask = TailMask(k - p);
            Vector256<float> x0 = Avx.MaskLoad(a0 + p, mask), x1 = Avx.MaskLoad(a1 + p, mask);
            Vector256<float> y = Avx.MaskLoad(b0 + p, mask);
            s00 = Fma.MultiplyAdd(x0, y, s00); s10 = Fma.MultiplyAdd(x1, y, s10);
            y = Avx.MaskLoad(b1 + p, mask);
            s01 = Fma.MultiplyAdd(x0, y, s01); s11 = Fma.MultiplyAdd(x1, y, s11);
            y = Avx.MaskLoad(b2 + p, mask);
            s02 = Fma.MultiplyAdd(x0, y, s02); s12 = Fma.MultiplyAdd(x1, y, s12);
            y = Avx.MaskLoad(b3 + p, mask);
            s03 = Fma.MultiplyAdd(x0, y, s03); s13 = Fma.MultiplyAdd(x1, y, s13);
        }
        return (Reduce4(s00, s01, s02, s03), Reduce4(s10, s11, s12, s13));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector128<float> Dot1x4(float* a0, float* b0, float* b1, float* b2, float* b3, int k)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            Vector256<float> x = Vector256.Load(a0 + p);
            s0 = Fma.MultiplyAdd(x, Vector256.Load(b0 + p), s0);
            s1 = Fma.MultiplyAdd(x, Vector256.Load(b1 + p), s1);
            s2 = Fma.MultiplyAdd(x, Vector256.Load(b2 + p), s2);
            s3 = Fma.MultiplyAdd(x, Vector256.Load(b3 + p), s3);
        }
        if (p < k)
        {
            Vector256<float> mask = TailMask(k - p);
            Vector256<float> x = Avx.MaskLoad(a0 + p, mask);
            s0 = Fma.MultiplyAdd(x, Avx.MaskLoad(b0 + p, mask), s0);
            s1 = Fma.MultiplyAdd(x, Avx.MaskLoad(b1 + p, mask), s1);
            s2 = Fma.MultiplyAdd(x, Avx.MaskLoad(b2 + p, mask), s2);
            s3 = Fma.MultiplyAdd(x, Avx.MaskLoad(b3 + p, mask), s3);
        }
        return Reduce4(s0, s1, s2, s3);
    }

    /// <summary>The four lane sums, each ((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Reduce4(Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3)
    {
        Vector256<float> h = Avx.HorizontalAdd(Avx.HorizontalAdd(s0, s1), Avx.HorizontalAdd(s2, s3));
        return h.GetLower() + h.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreDots(Vector128<float> sums, float* c, float* bias, int columns, float alpha, bool accumulate)
    {
        if (columns == DotColumns)
        {
            Vector128<float> z = accumulate
                ? Fma.MultiplyAdd(sums, Vector128.Create(alpha), Vector128.Load(c))
                : sums * Vector128.Create(alpha);
            if (bias != null) z += Vector128.Load(bias);
            Vector128.Store(z, c);
            return;
        }
        for (int j = 0; j < columns; j++)
        {
            float z = accumulate ? MathF.FusedMultiplyAdd(sums.GetElement(j), alpha, c[j]) : sums.GetElement(j) * alpha;
            if (bias != null) z += bias[j];
            c[j] = z;
        }
    }
}
