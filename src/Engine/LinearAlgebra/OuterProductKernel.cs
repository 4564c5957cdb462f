using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// Z = α·op(A)·op(B) (+ Z) (+ bias) as a sum of outer products: a register tile of 6 rows of Z grows by
/// op(A)[rows, p] ⊗ op(B)[p, columns] for p = 0 … k−1. Every form backprop needs runs here: the forward pass
/// A·Wᵀ (W stored n × k) from <see cref="MinRows"/> rows, with ReLU or identity applied as Z is stored (into Z,
/// into a separate activation matrix, or both; inference skips Z), BP2 δ·W (A·B) and BP4 δᵀ·a (Aᵀ·B).
/// <para>
/// op(B) is packed once per call (the threads share the work: each packs the slivers of its band of columns, and
/// when the threads split the rows instead they all read the whole result; BP4, split by neurons, has each thread pack
/// the batch's small op(B) for itself) into slivers of 64 columns with
/// AVX-512 or 16 with AVX2 (the last columns in slivers of 16), each k × width, zero-padded: Wᵀ through 8×8
/// register transposes, B by copying rows. A is not packed: the tile broadcasts op(A) straight from memory
/// (6 rows of A, or 6 adjacent columns of Aᵀ), runs over the whole of k against one sliver with no blocking of
/// k, then scales, adds the bias, applies the activation and stores, once per element: from its registers for
/// a whole tile, through a small buffer for the partial tiles at the edges.
/// </para>
/// <para>
/// Determinism: each element is s = Σ_p op(A)_ip·op(B)_pj by one FMA per p in order from 0, then z = α·s
/// (or s·α + z fused), then z + b_j, then max(z, 0) for ReLU, whatever the tile, the vector width
/// (AVX-512 and AVX2 give the same bits), the thread count or the blocking of columns.
/// </para>
/// </summary>
[SkipLocalsInit] // the edge-tile buffer is written whole by the kernel before it is read
internal static unsafe class OuterProductKernel
{
    /// <summary>From this many rows on, packing Wᵀ pays for A·Wᵀ; below, <see cref="DotProductKernel"/>.</summary>
    public const int MinRows = 16;

    private const int Rows = 6, Narrow = 16;

    /// <summary>Packed op(B) per column block, in floats (512 KiB, about half of a core's L2).</summary>
    private const int BlockFloats = 128 * 1024;

    /// <summary>Whether this processor runs the Vector512 kernels (AVX-512F, accelerated).</summary>
    public static bool Avx512Available => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    [ThreadStatic] private static float[]? t_packed;
    [ThreadStatic] private static OuterProductWork? t_work;

    /// <summary>
    /// z[m×n] = α·op(A)·op(B) (+ z when <paramref name="accumulate"/>) (+ bias[j] on every row when not null), written
    /// to <paramref name="z"/> (may be null), and σ(z) for σ = ReLU when <paramref name="relu"/> else identity written
    /// to <paramref name="activation"/> (may be null); leading dimension n for both. op(A) = A[m×k], or A[k×m]ᵀ when
    /// <paramref name="transposeA"/>; op(B) = B[n×k]ᵀ when <paramref name="transposeB"/>, else B[k×n].
    /// The Vector512 kernels run when <paramref name="avx512"/> (and <see cref="Avx512Available"/>), else the
    /// Vector256 ones: the same bits either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, float* b, float* bias, float* z, float* activation, bool relu, int m, int n, int k,
        float alpha, bool accumulate, bool transposeA, bool transposeB, bool avx512, int threads)
    {
        if (m == 0 || n == 0) return;
        if (accumulate && z == null) throw new ArgumentException("accumulating needs z.");
        float* packed = ThisThreadsPacking(n, k);

        int parts = ProductPartition.Parts(m, n, k, threads);
        OuterProductWork work = t_work ??= new OuterProductWork();
        work.Set(a, b, bias, z, activation, packed, relu, m, n, k, alpha, accumulate);
        work.TransposeA = transposeA;
        work.TransposeB = transposeB;
        work.Avx512 = avx512 && Avx512Available;
        work.Wide = work.Avx512 ? 64 : Narrow;
        if (parts == 1)
        {
            Pack(b, n, k, packed, 0, n, work.Wide, transposeB);
            Compute(work, packed, 0, m, 0, n);
            return;
        }
        work.Split = ProductPartition.SplitOf(m, n, Rows, work.Wide, parts, transposeA);
        if (work.Split == ProductSplit.Rows)
        {
            // Every part reads all of op(B): pack it together first, then compute.
            work.Packing = true;
            WorkerTeam.Run(work, parts);
            work.Packing = false;
        }
        WorkerTeam.Run(work, parts); // the other splits pack what each part reads in the same hand-off
    }

    /// <summary>
    /// The calling thread's buffer for a packed op(B) of n columns and k rows (<see cref="PackedLength"/>), grown when too
    /// small: pinned, and kept for the thread's next products, so a product allocates nothing once the sizes are known.
    /// </summary>
    private static float* ThisThreadsPacking(int n, int k)
    {
        long needed = PackedLength(n, k);
        float[] buffer = t_packed is { } existing && existing.Length >= needed
            ? existing
            : (t_packed = GC.AllocateUninitializedArray<float>((int)Math.Max(needed, 16), pinned: true));
        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
    }

    /// <summary>Width of the full slivers op(B) is packed in: 64 columns with the Vector512 kernels, else 16.</summary>
    public static int WideSliver(bool avx512) => avx512 && Avx512Available ? 64 : Narrow;

    /// <summary>
    /// Floats a packed op(B) of n columns and k rows takes (<see cref="Pack"/>'s layout: sliver j0 at j0·k, each
    /// sliver k × its width, the last padded to 16 columns).
    /// </summary>
    public static long PackedLength(int n, int k) => (long)(n + Narrow - 1) / Narrow * Narrow * k;

    /// <summary>
    /// Rows [rowStart, rowEnd) × columns [columnStart, columnEnd) of <see cref="Run"/>'s product, on the calling thread,
    /// with op(B) already in <paramref name="packed"/> in <see cref="Pack"/>'s layout for slivers of
    /// <see cref="WideSliver"/>(<paramref name="avx512"/>) (at least the slivers of the columns asked for). For callers
    /// that build op(B) themselves (convolution: im2col straight into slivers) or split a product among threads their own
    /// way. columnStart must be a sliver start; the bits are <see cref="Run"/>'s.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunPacked(float* a, float* packed, float* bias, float* z, float* activation, bool relu, int m, int n, int k,
        float alpha, bool accumulate, bool transposeA, bool avx512, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        if (rowStart >= rowEnd || columnStart >= columnEnd) return;
        if (accumulate && z == null) throw new ArgumentException("accumulating needs z.");
        OuterProductWork work = t_work ??= new OuterProductWork();
        work.Set(a, null, bias, z, activation, packed, relu, m, n, k, alpha, accumulate);
        work.TransposeA = transposeA;
        work.TransposeB = false;
        work.Avx512 = avx512 && Avx512Available;
        work.Wide = work.Avx512 ? 64 : Narrow;
        Compute(work, packed, rowStart, rowEnd, columnStart, columnEnd);
    }

    /// <summary>One product split into bands; reused per calling thread, so a call allocates nothing.</summary>
    private sealed class OuterProductWork : ParallelWork
    {
        public float* A, B, Bias, Z, Activation, Packed;
        public bool Relu, Accumulate, Packing, TransposeA, TransposeB, Avx512;
        public ProductSplit Split;
        public int M, N, K;

        /// <summary>Width of the full slivers: 64 columns (four Vector512) or 16 (two Vector256).</summary>
        public int Wide;
        public float Alpha;

        public void Set(float* a, float* b, float* bias, float* z, float* activation, float* packed, bool relu, int m, int n, int k, float alpha, bool accumulate)
        {
            A = a;
            B = b;
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
                (int start, int end) = ProductPartition.Band(N, Wide, part, parts);
                if (start < end) Pack(B, N, K, Packed, start, end, Wide, TransposeB);
                return;
            }
            switch (Split)
            {
                case ProductSplit.Rows:
                {
                    (int start, int end) = ProductPartition.Band(M, Rows, part, parts);
                    if (start < end) Compute(this, Packed, start, end, 0, N);
                    break;
                }
                case ProductSplit.NeuronRows:
                {
                    // All of op(B) (the batch's activations), packed by this thread into its own buffer: no waiting on another part.
                    (int start, int end) = ProductPartition.Band(M, ProductPartition.NeuronGrain, part, parts);
                    if (start >= end) return;
                    float* packed = part == 0 ? Packed : ThisThreadsPacking(N, K);
                    Pack(B, N, K, packed, 0, N, Wide, TransposeB);
                    Compute(this, packed, start, end, 0, N);
                    break;
                }
                default:
                {
                    // Each part packs and reads only its own slivers, so no part waits for another.
                    (int start, int end) = ProductPartition.Band(N, Wide, part, parts);
                    if (start >= end) return;
                    Pack(B, N, K, Packed, start, end, Wide, TransposeB);
                    Compute(this, Packed, 0, M, start, end);
                    break;
                }
            }
        }
    }

    /// <summary>The sliver that starts at column j0 (a multiple of 16): <paramref name="wide"/> columns, or 16 near the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SliverWidth(int j0, int n, int wide) => n - j0 >= wide ? wide : Narrow;

    /// <summary>
    /// Columns [start, end) of op(B) into their slivers: sliver j0 at packed + j0·k, element [p·width + jj] =
    /// op(B)[p, j0 + jj]. op(B) = Wᵀ for W stored n × k (<paramref name="transposed"/>), else B stored k × n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* w, int n, int k, float* packed, int start, int end, int wide, bool transposed)
    {
        if (!transposed)
        {
            for (int j0 = start; j0 < end; )
            {
                int width = SliverWidth(j0, n, wide);
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
            int width = SliverWidth(j0, n, wide);
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

    /// <summary>Rows [rowStart, rowEnd) × columns [columnStart, columnEnd) (columnStart a sliver start), op(B) packed in <paramref name="packed"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compute(OuterProductWork work, float* packed, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        int n = work.N, k = work.K, wide = work.Wide;
        // Row i of op(A) runs along k with stride 1 (A stored m × k) or m (A stored k × m, transposed).
        long rowStep = work.TransposeA ? 1 : k;
        int stride = work.TransposeA ? work.M : 1;
        // Columns in blocks whose packed op(B) stays in L2 while every 6-row panel of the band runs over it.
        int blockColumns = Math.Max(wide, BlockFloats / Math.Max(k, 1) / wide * wide);
        float* edge = stackalloc float[Rows * 64];
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
                    int width = SliverWidth(j0, n, wide);
                    float* sliver = packed + (long)j0 * k;
                    long offset = (long)i * n + j0;
                    var target = new TileTarget(work.Z == null ? null : work.Z + offset, work.Activation == null ? null : work.Activation + offset,
                        work.Bias == null ? null : work.Bias + j0, n, work.Alpha, work.Accumulate, work.Relu);
                    bool whole = rows == Rows && n - j0 >= width;
                    float* buffer = whole ? null : edge;
                    if (!work.Avx512) Kernel6x16Vector256(a0, a1, a2, a3, a4, a5, stride, sliver, k, target, buffer);
                    else if (width == 64) Kernel6x64Vector512(a0, a1, a2, a3, a4, a5, stride, sliver, k, target, buffer);
                    else Kernel6x16Vector512(a0, a1, a2, a3, a4, a5, stride, sliver, k, target, buffer);
                    if (!whole) StoreEdge(target, edge, width, rows, Math.Min(width, n - j0));
                    j0 += width;
                }
            }
        }
    }

    /// <summary>
    /// Where a tile's sums go, and what happens to them on the way: z = α·s (or s·α + z fused when
    /// accumulating), then z + b_j, stored to Z when not null and max(z, 0) (ReLU) or z to Activation when not null.
    /// Pointers are at the tile's first element (row i, column j0) and <see cref="Bias"/> at b_j0.
    /// </summary>
    private readonly struct TileTarget(float* z, float* activation, float* bias, int leadingDimension, float alpha, bool accumulate, bool relu)
    {
        public readonly float* Z = z, Activation = activation, Bias = bias;
        public readonly int LeadingDimension = leadingDimension;
        public readonly float Alpha = alpha;
        public readonly bool Accumulate = accumulate, Relu = relu;

        /// <summary>Row r, columns [j, j + 16) of the tile, from a Vector512 of sums.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(int r, int j, Vector512<float> sums)
        {
            long offset = (long)r * LeadingDimension + j;
            Vector512<float> value = Accumulate
                ? Avx512F.FusedMultiplyAdd(sums, Vector512.Create(Alpha), Vector512.Load(Z + offset))
                : sums * Vector512.Create(Alpha);
            if (Bias != null) value += Vector512.Load(Bias + j);
            if (Z != null) Vector512.Store(value, Z + offset);
            if (Activation != null) Vector512.Store(Relu ? Vector512.Max(value, Vector512<float>.Zero) : value, Activation + offset);
        }

        /// <summary>Row r, columns [j, j + 8) of the tile, from a Vector256 of sums: the arithmetic of the Vector512 one.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(int r, int j, Vector256<float> sums)
        {
            long offset = (long)r * LeadingDimension + j;
            Vector256<float> value = Accumulate
                ? Fma.MultiplyAdd(sums, Vector256.Create(Alpha), Vector256.Load(Z + offset))
                : sums * Vector256.Create(Alpha);
            if (Bias != null) value += Vector256.Load(Bias + j);
            if (Z != null) Vector256.Store(value, Z + offset);
            if (Activation != null) Vector256.Store(Relu ? Vector256.Max(value, Vector256<float>.Zero) : value, Activation + offset);
        }

        /// <summary>Row r, column j of the tile, from one sum: the arithmetic of the vector ones.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(int r, int j, float sum)
        {
            long offset = (long)r * LeadingDimension + j;
            float value = Accumulate ? MathF.FusedMultiplyAdd(sum, Alpha, Z[offset]) : sum * Alpha;
            if (Bias != null) value += Bias[j];
            if (Z != null) Z[offset] = value;
            if (Activation != null) Activation[offset] = Relu ? MathF.Max(value, 0f) : value;
        }
    }

    /// <summary>The valid rows × columns of a partial tile, from the sums the kernel left in <paramref name="edge"/> (rows of <paramref name="width"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreEdge(in TileTarget target, float* edge, int width, int rows, int columns)
    {
        for (int r = 0; r < rows; r++)
        {
            float* sums = edge + r * width;
            int j = 0;
            for (; j + 8 <= columns; j += 8) target.Put(r, j, Vector256.Load(sums + j));
            for (; j < columns; j++) target.Put(r, j, sums[j]);
        }
    }

    // ------------------------------------------------------------------------------------------- kernels
    // Each: s[r, j] = Σ_p a_r[p·stride]·sliver[p·width + j], one FMA per p in order; then the whole tile to its
    // target, or, when edge is not null, the sums to edge[r·width + j] for StoreEdge.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x64Vector512(float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, int stride, float* b, int k, TileTarget target, float* edge)
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
        if (edge == null)
        {
            target.Put(0, 0, c00); target.Put(0, 16, c01); target.Put(0, 32, c02); target.Put(0, 48, c03);
            target.Put(1, 0, c10); target.Put(1, 16, c11); target.Put(1, 32, c12); target.Put(1, 48, c13);
            target.Put(2, 0, c20); target.Put(2, 16, c21); target.Put(2, 32, c22); target.Put(2, 48, c23);
            target.Put(3, 0, c30); target.Put(3, 16, c31); target.Put(3, 32, c32); target.Put(3, 48, c33);
            target.Put(4, 0, c40); target.Put(4, 16, c41); target.Put(4, 32, c42); target.Put(4, 48, c43);
            target.Put(5, 0, c50); target.Put(5, 16, c51); target.Put(5, 32, c52); target.Put(5, 48, c53);
            return;
        }
        c00.Store(edge); c01.Store(edge + 16); c02.Store(edge + 32); c03.Store(edge + 48);
        c10.Store(edge + 64); c11.Store(edge + 80); c12.Store(edge + 96); c13.Store(edge + 112);
        c20.Store(edge + 128); c21.Store(edge + 144); c22.Store(edge + 160); c23.Store(edge + 176);
        c30.Store(edge + 192); c31.Store(edge + 208); c32.Store(edge + 224); c33.Store(edge + 240);
        c40.Store(edge + 256); c41.Store(edge + 272); c42.Store(edge + 288); c43.Store(edge + 304);
        c50.Store(edge + 320); c51.Store(edge + 336); c52.Store(edge + 352); c53.Store(edge + 368);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16Vector512(float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, int stride, float* b, int k, TileTarget target, float* edge)
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
        if (edge == null)
        {
            target.Put(0, 0, c0); target.Put(1, 0, c1); target.Put(2, 0, c2); target.Put(3, 0, c3); target.Put(4, 0, c4); target.Put(5, 0, c5);
            return;
        }
        c0.Store(edge); c1.Store(edge + 16); c2.Store(edge + 32); c3.Store(edge + 48); c4.Store(edge + 64); c5.Store(edge + 80);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16Vector256(float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, int stride, float* b, int k, TileTarget target, float* edge)
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
        if (edge == null)
        {
            target.Put(0, 0, c00); target.Put(0, 8, c01); target.Put(1, 0, c10); target.Put(1, 8, c11); target.Put(2, 0, c20); target.Put(2, 8, c21);
            target.Put(3, 0, c30); target.Put(3, 8, c31); target.Put(4, 0, c40); target.Put(4, 8, c41); target.Put(5, 0, c50); target.Put(5, 8, c51);
            return;
        }
        c00.Store(edge); c01.Store(edge + 8); c10.Store(edge + 16); c11.Store(edge + 24); c20.Store(edge + 32); c21.Store(edge + 40);
        c30.Store(edge + 48); c31.Store(edge + 56); c40.Store(edge + 64); c41.Store(edge + 72); c50.Store(edge + 80); c51.Store(edge + 88);
    }
}
