using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// One sample's im2col matrix X (PatchLength × positions) and its fold back onto the input. Row q = (c·K + ky)·K + kx of
/// X holds, for each kernel position p = y·W_out + x, the input value a[c, y·S + ky − P, x·S + kx − P], 0 where the
/// kernel overhangs the input (the padding). Along a row, one output row y reads one input row: with stride 1 a
/// contiguous run, which is what the float versions copy (and add, for the fold) a vector at a time.
/// </summary>
internal static unsafe class ConvolutionColumns
{
    /// <summary>
    /// Rows [qStart, qEnd) × positions [pStart, pEnd) of X into <paramref name="target"/>: row q at
    /// target + (q − qStart)·<paramref name="rowStride"/>, position p at column p − pStart; columns from pEnd − pStart to
    /// <paramref name="rowWidth"/> are zeroed (the padding of a packed sliver). With pStart = 0, pEnd = rowWidth = rowStride =
    /// positions this is X itself; with a sliver's positions and its width it is that sliver of X packed for
    /// <see cref="OuterProductKernel"/> (op(B) = X).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(float* sample, float* target, in ConvolutionGeometry g, int qStart, int qEnd, int pStart, int pEnd, int rowStride, int rowWidth)
    {
        TensorShape input = g.Input, output = g.Output;
        int k = g.Kernel, stride = g.Stride, padding = g.Padding, outWidth = output.Width, inWidth = input.Width, inHeight = input.Height;
        long channelLength = (long)inHeight * inWidth;
        int yStart = pStart / outWidth, xStart = pStart - yStart * outWidth;
        int c = qStart / (k * k), ky = qStart / k % k, kx = qStart % k;
        bool inside = stride == 1 && padding == 0; // every window lies inside the input: runs are plain copies
        for (int q = qStart; q < qEnd; q++)
        {
            float* row = target + (long)(q - qStart) * rowStride;
            float* origin = sample + c * channelLength + kx - padding; // input column x·S + kx − P of row 0 is origin[x·S]
            if (inside)
            {
                // A partial first output row, the whole rows (one tight loop), a partial last row.
                float* source = origin + (long)(yStart + ky) * inWidth;
                float* destination = row;
                int p = pStart;
                if (xStart > 0)
                {
                    int count = Math.Min(outWidth - xStart, pEnd - p);
                    Copy(source + xStart, destination, count);
                    destination += count;
                    p += count;
                    source += inWidth;
                }
                int wholeRows = (pEnd - p) / outWidth;
                CopyRows(source, inWidth, destination, outWidth, wholeRows);
                destination += wholeRows * outWidth;
                p += wholeRows * outWidth;
                Copy(source + (long)wholeRows * inWidth, destination, pEnd - p);
            }
            else
            {
                // Output columns x whose input column x·S + kx − P lies inside the input: [xFirst, xEnd).
                int xFirst = Math.Clamp(CeilingDivide(padding - kx, stride), 0, outWidth);
                int xEnd = Math.Clamp(CeilingDivide(inWidth + padding - kx, stride), 0, outWidth);
                float* destination = row - xStart; // column of (yStart, 0)
                for (int p = pStart, x = xStart, y = yStart; p < pEnd; y++)
                {
                    int runEnd = Math.Min(outWidth, x + (pEnd - p));
                    int iy = y * stride + ky - padding;
                    int from = Math.Max(x, xFirst), to = Math.Min(runEnd, xEnd);
                    if (iy < 0 || iy >= inHeight || from >= to)
                    {
                        Zero(destination + x, runEnd - x);
                    }
                    else
                    {
                        Zero(destination + x, from - x);
                        float* source = origin + (long)iy * inWidth;
                        if (stride == 1) Copy(source + from, destination + from, to - from);
                        else for (int xx = from; xx < to; xx++) destination[xx] = source[xx * stride];
                        Zero(destination + to, runEnd - to);
                    }
                    p += runEnd - x;
                    destination += outWidth;
                    x = 0;
                }
            }
            Zero(row + (pEnd - pStart), rowWidth - (pEnd - pStart));
            if (++kx == k)
            {
                kx = 0;
                if (++ky == k)
                {
                    ky = 0;
                    c++;
                }
            }
        }
    }

    /// <summary>
    /// The fold: clears <paramref name="sample"/>, then adds every entry of X (stored row by row, <c>positions</c> columns)
    /// to the input value it was read from, in the order of q then p, so each input value's sum has one order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scatter(float* columns, float* sample, in ConvolutionGeometry g)
    {
        TensorShape input = g.Input, output = g.Output;
        int k = g.Kernel, stride = g.Stride, padding = g.Padding, outWidth = output.Width, positions = output.Height * outWidth;
        new Span<float>(sample, (int)input.Length).Clear();
        for (int q = 0; q < g.PatchLength; q++)
        {
            int c = q / (k * k), ky = q / k % k, kx = q % k;
            float* row = columns + (long)q * positions;
            float* channel = sample + (long)c * input.Height * input.Width;
            int xFirst = Math.Clamp(CeilingDivide(padding - kx, stride), 0, outWidth);
            int xEnd = Math.Clamp(CeilingDivide(input.Width + padding - kx, stride), 0, outWidth);
            // Output rows y whose input row y·S + ky − P lies inside the input: [yFirst, yEnd).
            int yFirst = Math.Clamp(CeilingDivide(padding - ky, stride), 0, output.Height);
            int yEnd = Math.Clamp(CeilingDivide(input.Height + padding - ky, stride), 0, output.Height);
            if (xFirst >= xEnd || yFirst >= yEnd) continue;
            float* firstSource = row + yFirst * outWidth + xFirst;
            float* firstTarget = channel + (long)(yFirst * stride + ky - padding) * input.Width + (long)xFirst * stride + kx - padding;
            if (stride == 1)
            {
                AddRows(firstSource, outWidth, firstTarget, input.Width, xEnd - xFirst, yEnd - yFirst);
                continue;
            }
            for (int y = yFirst; y < yEnd; y++)
            {
                float* source = firstSource + (y - yFirst) * outWidth;
                float* target = firstTarget + (long)(y - yFirst) * stride * input.Width;
                for (int x = 0; x < xEnd - xFirst; x++) target[x * stride] += source[x];
            }
        }
    }

    /// <summary><see cref="Gather"/>'s X whole, for any element type (the reference path: double, or no FMA).</summary>
    public static void Gather<T>(ReadOnlySpan<T> sample, Span<T> columns, in ConvolutionGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorShape input = g.Input, output = g.Output;
        int k = g.Kernel, stride = g.Stride, padding = g.Padding, positions = output.Height * output.Width;
        for (int q = 0; q < g.PatchLength; q++)
        {
            int c = q / (k * k), ky = q / k % k, kx = q % k;
            Span<T> row = columns.Slice(q * positions, positions);
            for (int y = 0, p = 0; y < output.Height; y++)
            {
                int iy = y * stride + ky - padding;
                for (int x = 0; x < output.Width; x++, p++)
                {
                    int ix = x * stride + kx - padding;
                    row[p] = iy >= 0 && iy < input.Height && ix >= 0 && ix < input.Width ? sample[(c * input.Height + iy) * input.Width + ix] : T.Zero;
                }
            }
        }
    }

    /// <summary><see cref="Scatter"/> for any element type, in the same order.</summary>
    public static void Scatter<T>(ReadOnlySpan<T> columns, Span<T> sample, in ConvolutionGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorShape input = g.Input, output = g.Output;
        int k = g.Kernel, stride = g.Stride, padding = g.Padding, positions = output.Height * output.Width;
        sample[..(int)input.Length].Clear();
        for (int q = 0; q < g.PatchLength; q++)
        {
            int c = q / (k * k), ky = q / k % k, kx = q % k;
            ReadOnlySpan<T> row = columns.Slice(q * positions, positions);
            for (int y = 0, p = 0; y < output.Height; y++)
            {
                int iy = y * stride + ky - padding;
                for (int x = 0; x < output.Width; x++, p++)
                {
                    int ix = x * stride + kx - padding;
                    if (iy >= 0 && iy < input.Height && ix >= 0 && ix < input.Width) sample[(c * input.Height + iy) * input.Width + ix] += row[p];
                }
            }
        }
    }

    /// <summary>⌈a / b⌉ for b &gt; 0 and any sign of a.</summary>
    private static int CeilingDivide(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* source, float* target, int count)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(source + i), target + i);
        if (i + 4 <= count)
        {
            Vector128.Store(Vector128.Load(source + i), target + i);
            i += 4;
        }
        for (; i < count; i++) target[i] = source[i];
    }

    /// <summary><paramref name="rows"/> runs of <paramref name="width"/> floats, each source run <paramref name="sourceStride"/> after the last, into consecutive runs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRows(float* source, int sourceStride, float* target, int width, int rows)
    {
        if (width == 8)
        {
            for (int r = 0; r < rows; r++, source += sourceStride, target += 8) Vector256.Store(Vector256.Load(source), target);
        }
        else if (width % 8 == 0)
        {
            for (int r = 0; r < rows; r++, source += sourceStride, target += width)
                for (int i = 0; i < width; i += 8) Vector256.Store(Vector256.Load(source + i), target + i);
        }
        else
        {
            for (int r = 0; r < rows; r++, source += sourceStride, target += width) Copy(source, target, width);
        }
    }

    /// <summary>target run r += source run r, for <paramref name="rows"/> runs of <paramref name="width"/> floats with the strides given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRows(float* source, int sourceStride, float* target, int targetStride, int width, int rows)
    {
        if (width == 8)
        {
            for (int r = 0; r < rows; r++, source += sourceStride, target += targetStride)
                Vector256.Store(Vector256.Load(target) + Vector256.Load(source), target);
        }
        else if (width % 8 == 0)
        {
            for (int r = 0; r < rows; r++, source += sourceStride, target += targetStride)
                for (int i = 0; i < width; i += 8) Vector256.Store(Vector256.Load(target + i) + Vector256.Load(source + i), target + i);
        }
        else
        {
            for (int r = 0; r < rows; r++, source += sourceStride, target += targetStride) Add(source, target, width);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* source, float* target, int count)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(target + i) + Vector256.Load(source + i), target + i);
        if (i + 4 <= count)
        {
            Vector128.Store(Vector128.Load(target + i) + Vector128.Load(source + i), target + i);
            i += 4;
        }
        for (; i < count; i++) target[i] += source[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Zero(float* target, int count)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8) Vector256.Store(Vector256<float>.Zero, target + i);
        for (; i < count; i++) target[i] = 0f;
    }
}
