using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// Max-pooling over square windows of side <c>size</c> that are also its stride (whole windows only: a remainder row
/// or column is not pooled, as <see cref="NetworkShape.OutputOf"/> says), for a mini-batch of CHW samples. The forward
/// pass remembers which input won each window, so the backward pass routes each δ to that input alone: the pool has no
/// weights, and ∂(max)/∂a is 1 for the winner and 0 for the others.
/// </summary>
public static unsafe class MaxPooling
{
    /// <summary>
    /// output[c, y, x] = max over the window a[c, y·size .. y·size + size − 1, x·size .. x·size + size − 1], for
    /// <paramref name="rows"/> samples (output rows × C·⌊H/size⌋·⌊W/size⌋); winners[i] = the index within its sample of the
    /// input that gave output i, the first in row-major order on ties.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> input, Span<T> output, Span<int> winners, TensorShape inputShape, int size, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int inputLength, int outputLength) = CheckSizes(inputShape, size, rows);
        Need(input.Length, (long)rows * inputLength, nameof(input));
        Need(output.Length, (long)rows * outputLength, nameof(output));
        Need(winners.Length, (long)rows * outputLength, nameof(winners));
        int height = inputShape.Height, width = inputShape.Width, pooledHeight = height / size, pooledWidth = width / size;
        if (typeof(T) == typeof(float) && size == 2 && Avx2.IsSupported)
        {
            fixed (T* a = input, o = output)
            fixed (int* w = winners)
                ForwardPairs((float*)a, (float*)o, w, inputShape, rows);
            return;
        }
        for (int n = 0; n < rows; n++)
        {
            ReadOnlySpan<T> sample = input.Slice(n * inputLength, inputLength);
            int o = n * outputLength;
            for (int c = 0; c < inputShape.Channels; c++)
            {
                for (int y = 0; y < pooledHeight; y++)
                {
                    for (int x = 0; x < pooledWidth; x++, o++)
                    {
                        int first = (c * height + y * size) * width + x * size;
                        int winner = first;
                        T best = sample[first];
                        for (int dy = 0; dy < size; dy++)
                        {
                            int rowStart = first + dy * width;
                            for (int dx = 0; dx < size; dx++)
                            {
                                // Strictly greater: the first of equal values keeps the window.
                                if (sample[rowStart + dx] > best)
                                {
                                    best = sample[rowStart + dx];
                                    winner = rowStart + dx;
                                }
                            }
                        }
                        output[o] = best;
                        winners[o] = winner;
                    }
                }
            }
        }
    }

    /// <summary>
    /// BP2 through the pool: ∂C/∂a is δ at each window's winner and 0 everywhere else. Clears
    /// <paramref name="inputError"/> (rows × inputShape.Length), then writes each δ to its winner.
    /// </summary>
    public static void Backpropagate<T>(ReadOnlySpan<T> delta, ReadOnlySpan<int> winners, Span<T> inputError, TensorShape inputShape, int size, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int inputLength, int outputLength) = CheckSizes(inputShape, size, rows);
        Need(delta.Length, (long)rows * outputLength, nameof(delta));
        Need(winners.Length, (long)rows * outputLength, nameof(winners));
        Need(inputError.Length, (long)rows * inputLength, nameof(inputError));
        inputError[..(rows * inputLength)].Clear();
        for (int n = 0; n < rows; n++)
        {
            Span<T> sampleError = inputError.Slice(n * inputLength, inputLength);
            ReadOnlySpan<T> sampleDelta = delta.Slice(n * outputLength, outputLength);
            ReadOnlySpan<int> sampleWinners = winners.Slice(n * outputLength, outputLength);
            // Windows do not overlap, so every input gets at most one δ; the span's bounds check guards a bad winner.
            for (int o = 0; o < outputLength; o++) sampleError[sampleWinners[o]] = sampleDelta[o];
        }
    }

    /// <summary>
    /// <see cref="Forward{T}"/> for float and 2x2 windows (the common case), eight or four windows at a time: the four values of
    /// each window compared in row-major order with "greater than" (the first of equal values wins, as in the loop), and
    /// no branch per value, which random data would mispredict half of the time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPairs(float* input, float* output, int* winners, TensorShape shape, int rows)
    {
        int height = shape.Height, width = shape.Width, pooledHeight = height / 2, pooledWidth = width / 2;
        Vector256<int> lanes = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        Vector256<int> right = Vector256.Create(1), below = Vector256.Create(width), belowRight = Vector256.Create(width + 1);
        for (int n = 0, o = 0; n < rows; n++)
        {
            float* sample = input + (long)n * shape.Length;
            for (int c = 0; c < shape.Channels; c++)
            {
                for (int y = 0; y < pooledHeight; y++)
                {
                    int rowStart = (c * height + 2 * y) * width;
                    float* top = sample + rowStart, bottom = top + width;
                    int x = 0;
                    for (; x + 8 <= pooledWidth; x += 8, o += 8)
                    {
                        (Vector256<float> topLeft, Vector256<float> topRight) = Deinterleave(top + 2 * x);
                        (Vector256<float> bottomLeft, Vector256<float> bottomRight) = Deinterleave(bottom + 2 * x);
                        Vector256<float> best = topLeft;
                        Vector256<int> offset = Vector256<int>.Zero;
                        Vector256<float> greater = Avx.CompareGreaterThan(topRight, best);
                        best = Avx.BlendVariable(best, topRight, greater);
                        offset = Avx2.BlendVariable(offset, right, greater.AsInt32());
                        greater = Avx.CompareGreaterThan(bottomLeft, best);
                        best = Avx.BlendVariable(best, bottomLeft, greater);
                        offset = Avx2.BlendVariable(offset, below, greater.AsInt32());
                        greater = Avx.CompareGreaterThan(bottomRight, best);
                        best = Avx.BlendVariable(best, bottomRight, greater);
                        offset = Avx2.BlendVariable(offset, belowRight, greater.AsInt32());
                        Vector256.Store(best, output + o);
                        Vector256.Store(Vector256.Create(rowStart + 2 * x) + lanes + offset, winners + o);
                    }
                    for (; x + 4 <= pooledWidth; x += 4, o += 4)
                    {
                        (Vector128<float> topLeft, Vector128<float> topRight) = Deinterleave4(top + 2 * x);
                        (Vector128<float> bottomLeft, Vector128<float> bottomRight) = Deinterleave4(bottom + 2 * x);
                        Vector128<float> best = topLeft;
                        Vector128<int> offset = Vector128<int>.Zero;
                        Vector128<float> greater = Sse.CompareGreaterThan(topRight, best);
                        best = Sse41.BlendVariable(best, topRight, greater);
                        offset = Sse41.BlendVariable(offset, right.GetLower(), greater.AsInt32());
                        greater = Sse.CompareGreaterThan(bottomLeft, best);
                        best = Sse41.BlendVariable(best, bottomLeft, greater);
                        offset = Sse41.BlendVariable(offset, below.GetLower(), greater.AsInt32());
                        greater = Sse.CompareGreaterThan(bottomRight, best);
                        best = Sse41.BlendVariable(best, bottomRight, greater);
                        offset = Sse41.BlendVariable(offset, belowRight.GetLower(), greater.AsInt32());
                        Vector128.Store(best, output + o);
                        Vector128.Store(Vector128.Create(rowStart + 2 * x) + lanes.GetLower() + offset, winners + o);
                    }
                    for (; x < pooledWidth; x++, o++)
                    {
                        int first = rowStart + 2 * x, winner = first;
                        float best = sample[first];
                        if (sample[first + 1] > best) (best, winner) = (sample[first + 1], first + 1);
                        if (sample[first + width] > best) (best, winner) = (sample[first + width], first + width);
                        if (sample[first + width + 1] > best) (best, winner) = (sample[first + width + 1], first + width + 1);
                        output[o] = best;
                        winners[o] = winner;
                    }
                }
            }
        }
    }

    /// <summary>The even and the odd values of 16 consecutive floats: the left and right columns of eight 2-wide windows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Even, Vector256<float> Odd) Deinterleave(float* values)
    {
        Vector256<float> low = Vector256.Load(values), high = Vector256.Load(values + 8);
        // Within each 128-bit lane: [l0 l2 h0 h2 | l4 l6 h4 h6]; then the 64-bit pairs reordered to [l0 l2 l4 l6 h0 h2 h4 h6].
        Vector256<float> even = Avx2.Permute4x64(Avx.Shuffle(low, high, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
        Vector256<float> odd = Avx2.Permute4x64(Avx.Shuffle(low, high, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
        return (even, odd);
    }

    /// <summary>The even and the odd values of 8 consecutive floats: the left and right columns of four 2-wide windows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Even, Vector128<float> Odd) Deinterleave4(float* values)
    {
        Vector128<float> low = Vector128.Load(values), high = Vector128.Load(values + 4);
        return (Sse.Shuffle(low, high, 0b10_00_10_00), Sse.Shuffle(low, high, 0b11_01_11_01));
    }

    private static (int InputLength, int OutputLength) CheckSizes(TensorShape inputShape, int size, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (inputShape.Channels < 1 || inputShape.Height < size || inputShape.Width < size)
            throw new ArgumentException($"a {size}x{size} pool does not fit a {inputShape} input.", nameof(inputShape));
        long outputLength = (long)inputShape.Channels * (inputShape.Height / size) * (inputShape.Width / size);
        if (inputShape.Length > int.MaxValue || (long)rows * inputShape.Length > int.MaxValue)
            throw new ArgumentException($"{rows} samples of {inputShape} are too large.", nameof(inputShape));
        return ((int)inputShape.Length, (int)outputLength);
    }

    private static void Need(int length, long needed, string name)
    {
        if (length < needed) throw new ArgumentException($"{name} holds {length} values, needs {needed}.", name);
    }
}
