using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// <see cref="Convolution"/>'s float products on <see cref="OuterProductKernel"/>, with im2col written straight into
/// the kernel's packed slivers where it can be. Per sample, with X the sample's im2col matrix (PatchLength × positions):
/// <list type="bullet">
/// <item>forward z = W·X + b: X gathered straight into slivers of positions (op(B) = X), W read in place as A;</item>
/// <item>BP4 ∂C/∂W += scale·δ·Xᵀ: X gathered row by row, then packed transposed (op(B) = Xᵀ), δ read in place as A;
/// the samples are added in order, one product after the other, into the same ∂C/∂W;</item>
/// <item>BP2 ∂C/∂X = Wᵀ·δ: δ packed by rows (op(B) = δ), W read in place as a transposed A, then folded onto the input.</item>
/// </list>
/// Threads take whole samples for the forward pass and BP2 (each writes only its samples' outputs), and bands of
/// ∂C/∂W's columns (or rows, when it has too few columns) for BP4 (each thread runs over every sample, in order, for its
/// band): no sum is ever split, so the bits do not depend on the thread count. Each thread has its own part of the
/// scratch (<see cref="ScratchPerThread"/>).
/// </summary>
internal static unsafe class ConvolutionKernel
{
    private const int PanelRows = 6;

    /// <summary>
    /// On several threads and from this many patch entries on, BP4 runs as (∂C/∂W)ᵀ = X·δᵀ
    /// (<see cref="TransposedGradientBand"/>): each thread then sums its band in its own scratch, where splitting ∂C/∂W's
    /// columns had both threads read-modify-write the cache lines at the band's edge in every row, once per sample (W4's
    /// second layer: 0.69 ms per batch at 2 threads, against 0.49 transposed; at 1 thread the direct form is faster, 0.75
    /// against 0.90). Both forms give the same bits.
    /// </summary>
    private const int TransposedGradientsFrom = 64;

    [ThreadStatic] private static ConvolutionWork? t_work;

    /// <summary>Floats of scratch one thread uses: the largest of what the three products need.</summary>
    public static long ScratchPerThread(in ConvolutionGeometry g)
    {
        int patch = g.PatchLength, positions = g.Positions;
        long forward = OuterProductKernel.PackedLength(positions, patch);
        long gradients = (long)patch * positions + Math.Max(OuterProductKernel.PackedLength(patch, positions),
            OuterProductKernel.PackedLength(g.Filters, positions) + (long)patch * g.Filters);
        long backpropagate = OuterProductKernel.PackedLength(positions, g.Filters) + (long)patch * positions;
        long most = Math.Max(forward, Math.Max(gradients, backpropagate));
        return (most + 15) / 16 * 16; // each thread's part starts on a 64-byte boundary of the scratch
    }

    /// <summary>Parts to split a call into: one for small products (a hand-off costs a few µs), else the threads.</summary>
    public static int Parts(in ConvolutionGeometry g, int rows, int threads) =>
        ProductPartition.Parts(rows * g.Positions, g.Filters, g.PatchLength, threads);

    public static void Forward(float* input, float* weights, float* biases, float* output, in ConvolutionGeometry g, int rows, float* scratch, int threads) =>
        Run(Operation.Forward, input, weights, biases, output, g, rows, 1f, scratch, threads);

    public static void Gradients(float* input, float* delta, float* weightGradients, float* biasGradients, in ConvolutionGeometry g, int rows, float scale,
        float* scratch, int threads) =>
        Run(Operation.Gradients, input, delta, biasGradients, weightGradients, g, rows, scale, scratch, threads);

    public static void BackpropagateError(float* delta, float* weights, float* inputError, in ConvolutionGeometry g, int rows, float* scratch, int threads) =>
        Run(Operation.BackpropagateError, delta, weights, null, inputError, g, rows, 1f, scratch, threads);

    private enum Operation { Forward, Gradients, BackpropagateError }

    private static void Run(Operation operation, float* first, float* second, float* third, float* target, in ConvolutionGeometry g, int rows,
        float scale, float* scratch, int threads)
    {
        int parts = Parts(g, rows, threads);
        ConvolutionWork work = t_work ??= new ConvolutionWork();
        work.Set(operation, first, second, third, target, g, rows, scale, scratch, Gemm.AllowAvx512);
        if (parts == 1) work.Execute(0, 1);
        else WorkerTeam.Run(work, parts);
    }

    /// <summary>One call split into parts; reused per calling thread, so a call allocates nothing.</summary>
    private sealed class ConvolutionWork : ParallelWork
    {
        private Operation _operation;
        private float* _first, _second, _third, _target, _scratch;
        private ConvolutionGeometry _g;
        private int _rows;
        private float _scale;
        private bool _avx512;

        public void Set(Operation operation, float* first, float* second, float* third, float* target, in ConvolutionGeometry g, int rows, float scale,
            float* scratch, bool avx512)
        {
            _operation = operation;
            _first = first;
            _second = second;
            _third = third;
            _target = target;
            _scratch = scratch;
            (_g, _rows, _scale, _avx512) = (g, rows, scale, avx512);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Execute(int part, int parts)
        {
            float* scratch = _scratch + part * ScratchPerThread(_g);
            switch (_operation)
            {
                case Operation.Forward:
                {
                    (int start, int end) = ProductPartition.Band(_rows, 1, part, parts);
                    ForwardSamples(_first, _second, _third, _target, _g, start, end, scratch, _avx512);
                    break;
                }
                case Operation.BackpropagateError:
                {
                    (int start, int end) = ProductPartition.Band(_rows, 1, part, parts);
                    BackpropagateSamples(_first, _second, _target, _g, start, end, scratch, _avx512);
                    break;
                }
                default:
                    if (parts > 1 && _g.PatchLength >= TransposedGradientsFrom)
                        TransposedGradientBand(_first, _second, _target, _third, _g, _rows, _scale, scratch, _avx512, part, parts);
                    else
                        GradientBand(_first, _second, _target, _third, _g, _rows, _scale, scratch, _avx512, part, parts);
                    break;
            }
        }
    }

    /// <summary>z_n = W·X_n + b for samples [start, end): X_n gathered straight into its slivers, z_n filled with b and the product added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardSamples(float* input, float* weights, float* biases, float* output, in ConvolutionGeometry g, int start, int end,
        float* packed, bool avx512)
    {
        int filters = g.Filters, patch = g.PatchLength, positions = g.Positions;
        long inputLength = g.Input.Length, outputLength = g.Output.Length;
        int wide = OuterProductKernel.WideSliver(avx512);
        for (int n = start; n < end; n++)
        {
            float* sample = input + n * inputLength;
            for (int j0 = 0; j0 < positions; )
            {
                int width = OuterProductKernel.SliverWidth(j0, positions, wide);
                ConvolutionColumns.Gather(sample, packed + (long)j0 * patch, g, 0, patch, j0, Math.Min(positions, j0 + width), width, width);
                j0 += width;
            }
            // z_f starts at b_f and the product is added to it (z = s·1 + b, one rounding, as s + b): the kernel's own
            // bias runs along columns, and here it runs along rows.
            float* z = output + n * outputLength;
            for (int f = 0; f < filters; f++) new Span<float>(z + (long)f * positions, positions).Fill(biases[f]);
            OuterProductKernel.RunPacked(weights, packed, null, z, null, relu: false, filters, positions, patch, 1f, accumulate: true,
                transposeA: false, avx512, 0, filters, 0, positions);
        }
    }

    /// <summary>
    /// BP4 for one band of ∂C/∂W, over every sample in order: ∂C/∂W[band] = scale·δ_0·X_0ᵀ, then += scale·δ_n·X_nᵀ.
    /// Columns (patch entries) in whole slivers when there are enough of them for every part, else rows (filters).
    /// Part 0 also sums BP3 (the bias gradients), which no other part writes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientBand(float* input, float* delta, float* weightGradients, float* biasGradients, in ConvolutionGeometry g, int rows,
        float scale, float* scratch, bool avx512, int part, int parts)
    {
        int filters = g.Filters, patch = g.PatchLength, positions = g.Positions;
        long inputLength = g.Input.Length, outputLength = g.Output.Length;
        int wide = OuterProductKernel.WideSliver(avx512);
        bool splitColumns = patch >= wide * parts || parts == 1;
        (int rowStart, int rowEnd) = splitColumns ? (0, filters) : ProductPartition.Band(filters, PanelRows, part, parts);
        (int columnStart, int columnEnd) = splitColumns ? ProductPartition.Band(patch, wide, part, parts) : (0, patch);
        if (part == 0) BiasGradients(delta, biasGradients, filters, positions, outputLength, rows, scale);
        if (rowStart >= rowEnd || columnStart >= columnEnd) return;
        if (rows == 0)
        {
            for (int f = rowStart; f < rowEnd; f++) new Span<float>(weightGradients + (long)f * patch + columnStart, columnEnd - columnStart).Clear();
            return;
        }

        // X_n's rows [columnStart, columnEnd), then packed as op(B) = X_nᵀ at the slivers' places for the whole of ∂C/∂W's columns.
        float* columns = scratch;
        float* packed = scratch + (long)patch * positions;
        float* band = columns - (long)columnStart * positions; // row q of X at band + q·positions
        for (int n = 0; n < rows; n++)
        {
            ConvolutionColumns.Gather(input + n * inputLength, columns, g, columnStart, columnEnd, 0, positions, positions, positions);
            OuterProductKernel.Pack(band, patch, positions, packed, columnStart, columnEnd, wide, transposed: true);
            OuterProductKernel.RunPacked(delta + n * outputLength, packed, null, weightGradients, null, relu: false, filters, patch, positions, scale,
                accumulate: n > 0, transposeA: false, avx512, rowStart, rowEnd, columnStart, columnEnd);
        }
    }

    /// <summary>
    /// BP4 as (∂C/∂W)ᵀ = scale·Σ_n X_n·δ_nᵀ for one band of patch entries (rows of X, in whole 6-row panels), over every
    /// sample in order, then transposed into ∂C/∂W. X_n's rows are the product's A as gathered (nothing to pack) and
    /// only δ_n (filters × positions, small) is packed, so for wide patches this moves far less than packing X_nᵀ. Each
    /// element is the same chain of fused multiply-adds as in <see cref="GradientBand"/> (along positions, then the
    /// samples in order), so the bits do not depend on which form runs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposedGradientBand(float* input, float* delta, float* weightGradients, float* biasGradients, in ConvolutionGeometry g,
        int rows, float scale, float* scratch, bool avx512, int part, int parts)
    {
        int filters = g.Filters, patch = g.PatchLength, positions = g.Positions;
        long inputLength = g.Input.Length, outputLength = g.Output.Length;
        int wide = OuterProductKernel.WideSliver(avx512);
        (int start, int end) = ProductPartition.Band(patch, PanelRows, part, parts);
        if (part == 0) BiasGradients(delta, biasGradients, filters, positions, outputLength, rows, scale);
        if (start >= end) return;
        int band = end - start;
        if (rows == 0)
        {
            for (int f = 0; f < filters; f++) new Span<float>(weightGradients + (long)f * patch + start, band).Clear();
            return;
        }

        float* columns = scratch;                                  // X_n's rows [start, end): band × positions
        float* transposed = columns + (long)patch * positions;     // (∂C/∂W)ᵀ's rows [start, end): band × filters
        float* packed = transposed + (long)patch * filters;        // δ_nᵀ packed
        for (int n = 0; n < rows; n++)
        {
            ConvolutionColumns.Gather(input + n * inputLength, columns, g, start, end, 0, positions, positions, positions);
            OuterProductKernel.Pack(delta + n * outputLength, filters, positions, packed, 0, filters, wide, transposed: true);
            OuterProductKernel.RunPacked(columns, packed, null, transposed, null, relu: false, band, filters, positions, scale,
                accumulate: n > 0, transposeA: false, avx512, 0, band, 0, filters);
        }
        for (int i = 0; i < band; i++)
            for (int f = 0; f < filters; f++) weightGradients[(long)f * patch + start + i] = transposed[(long)i * filters + f];
    }

    /// <summary>BP3: ∂C/∂b_f = scale · Σ_n Σ_p δ_n[f, p], the samples in order.</summary>
    private static void BiasGradients(float* delta, float* biasGradients, int filters, int positions, long outputLength, int rows, float scale)
    {
        for (int f = 0; f < filters; f++)
        {
            float sum = 0f;
            for (int n = 0; n < rows; n++) sum += TensorPrimitives.Sum(new ReadOnlySpan<float>(delta + n * outputLength + (long)f * positions, positions));
            biasGradients[f] = scale * sum;
        }
    }

    /// <summary>BP2 for samples [start, end): Wᵀ·δ_n into the sample's columns, folded onto its input error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackpropagateSamples(float* delta, float* weights, float* inputError, in ConvolutionGeometry g, int start, int end,
        float* scratch, bool avx512)
    {
        int filters = g.Filters, patch = g.PatchLength, positions = g.Positions;
        long inputLength = g.Input.Length, outputLength = g.Output.Length;
        int wide = OuterProductKernel.WideSliver(avx512);
        float* columns = scratch;
        float* packed = scratch + (long)patch * positions;
        for (int n = start; n < end; n++)
        {
            OuterProductKernel.Pack(delta + n * outputLength, positions, filters, packed, 0, positions, wide, transposed: false);
            OuterProductKernel.RunPacked(weights, packed, null, columns, null, relu: false, patch, positions, filters, 1f, accumulate: false,
                transposeA: true, avx512, 0, patch, 0, positions);
            ConvolutionColumns.Scatter(columns, inputError + n * inputLength, g);
        }
    }
}
