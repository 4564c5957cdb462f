using System.Numerics;

namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// Max-pooling over square windows of side <c>size</c> that are also its stride (whole windows only: a remainder row
/// or column is not pooled, as <see cref="NetworkShape.OutputOf"/> says), for a mini-batch of CHW samples. The forward
/// pass remembers which input won each window, so the backward pass routes each δ to that input alone: the pool has no
/// weights, and ∂(max)/∂a is 1 for the winner and 0 for the others.
/// </summary>
public static class MaxPooling
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
