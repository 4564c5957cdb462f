using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// C = α·A[m×k]·B[n×k]ᵀ (+ C) (+ bias) for few rows (one sample, small batches): both operands run along k,
/// so each element is a dot product of a row of A and a row of B, computed 2 × 4 at a time (8 accumulators of
/// 8 lanes each) with nothing packed. Vector256 + FMA. One sample (m = 1) runs the same arithmetic as a row
/// inside a batch, so a prediction gives the bits of the same row in <see cref="Gemm"/>'s batch product.
/// </summary>
internal static unsafe class DotProductKernel
{
    private const int TileRows = 2, TileColumns = 4;
    private const int BlockRows = 64;

    [ThreadStatic] private static DotProductWork? t_work;

    /// <summary>C[m×n] = α·A·Bᵀ (+ C when <paramref name="accumulate"/>) (+ bias[j] on every row when not null), C's leading dimension n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, float* b, float* bias, float* c, int m, int n, int k, float alpha, bool accumulate, int threads)
    {
        int parts = ProductPartition.Parts(m, n, k, threads);
        if (parts == 1)
        {
            Dot(a, b, bias, c, n, k, alpha, accumulate, 0, m, 0, n);
            return;
        }
        DotProductWork work = t_work ??= new DotProductWork();
        work.Set(a, b, bias, c, m, n, k, alpha, accumulate);
        WorkerTeam.Run(work, parts);
    }

    /// <summary>One product split into bands of C's rows or columns; reused per calling thread, so a call allocates nothing.</summary>
    private sealed class DotProductWork : ParallelWork
    {
        private float* _a, _b, _bias, _c;
        private int _m, _n, _k;
        private float _alpha;
        private bool _accumulate;

        public void Set(float* a, float* b, float* bias, float* c, int m, int n, int k, float alpha, bool accumulate)
        {
            _a = a;
            _b = b;
            _bias = bias;
            _c = c;
            (_m, _n, _k, _alpha, _accumulate) = (m, n, k, alpha, accumulate);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Execute(int part, int parts)
        {
            if (ProductPartition.SplitOf(_m, _n, TileRows, TileColumns, parts, transposeA: false) == ProductSplit.Rows)
            {
                (int start, int end) = ProductPartition.Band(_m, TileRows, part, parts);
                if (start < end) Dot(_a, _b, _bias, _c, _n, _k, _alpha, _accumulate, start, end, 0, _n);
            }
            else
            {
                (int start, int end) = ProductPartition.Band(_n, TileColumns, part, parts);
                if (start < end) Dot(_a, _b, _bias, _c, _n, _k, _alpha, _accumulate, 0, _m, start, end);
            }
        }
    }

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
        for (int i0 = rowStart; i0 < rowEnd; i0 += BlockRows)
        {
            int i1 = Math.Min(rowEnd, i0 + BlockRows);
            for (int j = columnStart; j < columnEnd; j += TileColumns)
            {
                int columns = Math.Min(TileColumns, columnEnd - j);
                // A partial group repeats its last row of B; the repeats are computed and dropped.
                float* b0 = b + (long)j * k;
                float* b1 = b + (long)(j + Math.Min(1, columns - 1)) * k;
                float* b2 = b + (long)(j + Math.Min(2, columns - 1)) * k;
                float* b3 = b + (long)(j + Math.Min(3, columns - 1)) * k;
                int i = i0;
                for (; i + TileRows <= i1; i += TileRows)
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
        if (columns == TileColumns)
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
