using System.Numerics;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine.Tests.LinearAlgebra;

/// <summary>
/// <see cref="MaxPooling"/> against a loop over every window (in double): the max, the first winner on ties, the
/// remainder rows and columns left out, δ routed to the winner only; nothing allocated per call.
/// </summary>
public sealed class MaxPoolingTests
{
    [Theory]
    [InlineData(1, 4, 4, 2)]
    [InlineData(3, 6, 9, 3)]
    [InlineData(2, 7, 5, 2)]   // a remainder row and column
    [InlineData(4, 5, 5, 5)]   // the window is the whole input
    [InlineData(2, 3, 8, 1)]   // size 1: a copy
    [InlineData(20, 24, 24, 2)] // W4's first pool (float: eight windows at a time, then four one by one)
    [InlineData(3, 5, 21, 2)]  // 8 windows at a time, then 2 one by one
    [InlineData(2, 8, 8, 2)]   // 4 at a time (W4's second pool)
    [InlineData(2, 6, 31, 2)]  // 8, 4, then 3 one by one
    [InlineData(2, 9, 34, 2)]
    public void Forward_and_backward_match_a_loop_over_every_window(int channels, int height, int width, int size)
    {
        var shape = new TensorShape(channels, height, width);
        foreach (int rows in new[] { 1, 7 })
        {
            Check<double>(shape, size, rows);
            Check<float>(shape, size, rows);
        }
    }

    [Fact]
    public void Ties_go_to_the_first_value_in_row_major_order_and_the_delta_only_there()
    {
        var shape = new TensorShape(1, 2, 4);
        double[] input = [3, 5, 7, 7, 5, 1, 2, 7];
        var output = new double[2];
        var winners = new int[2];
        MaxPooling.Forward<double>(input, output, winners, shape, 2, 1);
        Assert.Equal([5.0, 7.0], output);
        Assert.Equal([1, 2], winners);

        var inputError = Enumerable.Repeat(9.0, 8).ToArray();
        MaxPooling.Backpropagate<double>([0.5, -2.0], winners, inputError, shape, 2, 1);
        Assert.Equal([0, 0.5, -2, 0, 0, 0, 0, 0], inputError);
    }

    [Fact]
    public void Calls_allocate_nothing()
    {
        var shape = new TensorShape(20, 24, 24);
        const int rows = 32;
        float[] input = Random<float>(rows * (int)shape.Length, 1), output = new float[rows * 20 * 12 * 12], delta = Random<float>(output.Length, 2),
            inputError = new float[input.Length];
        var winners = new int[output.Length];
        MaxPooling.Forward<float>(input, output, winners, shape, 2, rows);
        MaxPooling.Backpropagate<float>(delta, winners, inputError, shape, 2, rows);
        long before = GC.GetAllocatedBytesForCurrentThread();
        MaxPooling.Forward<float>(input, output, winners, shape, 2, rows);
        MaxPooling.Backpropagate<float>(delta, winners, inputError, shape, 2, rows);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Short_spans_and_a_pool_larger_than_the_input_are_refused()
    {
        var shape = new TensorShape(2, 4, 4);
        Assert.Throws<ArgumentException>(() => MaxPooling.Forward<float>(new float[31], new float[8], new int[8], shape, 2, 1));
        Assert.Throws<ArgumentException>(() => MaxPooling.Forward<float>(new float[32], new float[8], new int[7], shape, 2, 1));
        Assert.Throws<ArgumentException>(() => MaxPooling.Backpropagate<float>(new float[8], new int[8], new float[31], shape, 2, 1));
        Assert.Throws<ArgumentException>(() => MaxPooling.Forward<float>(new float[32], new float[8], new int[8], shape, 5, 1));
    }

    private static void Check<T>(TensorShape shape, int size, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pooledHeight = shape.Height / size, pooledWidth = shape.Width / size;
        int inputLength = (int)shape.Length, outputLength = shape.Channels * pooledHeight * pooledWidth;
        // Values on a coarse grid, so ties happen.
        var random = new Random(rows * 7 + size);
        T[] input = Enumerable.Range(0, rows * inputLength).Select(_ => T.CreateChecked(random.Next(-4, 5))).ToArray();
        T[] delta = Random<T>(rows * outputLength, rows);
        var output = new T[rows * outputLength];
        var winners = new int[rows * outputLength];
        T[] inputError = Random<T>(rows * inputLength, 99); // garbage: Backpropagate clears it
        MaxPooling.Forward<T>(input, output, winners, shape, size, rows);
        MaxPooling.Backpropagate<T>(delta, winners, inputError, shape, size, rows);

        var expectedError = new double[rows * inputLength];
        for (int n = 0, o = 0; n < rows; n++)
        {
            for (int c = 0; c < shape.Channels; c++)
            {
                for (int y = 0; y < pooledHeight; y++)
                {
                    for (int x = 0; x < pooledWidth; x++, o++)
                    {
                        double best = double.NegativeInfinity;
                        int winner = -1;
                        for (int dy = 0; dy < size; dy++)
                        {
                            for (int dx = 0; dx < size; dx++)
                            {
                                int at = (c * shape.Height + y * size + dy) * shape.Width + x * size + dx;
                                double value = double.CreateChecked(input[n * inputLength + at]);
                                if (value > best) (best, winner) = (value, at);
                            }
                        }
                        Assert.Equal(best, double.CreateChecked(output[o]));
                        Assert.Equal(winner, winners[o]);
                        expectedError[n * inputLength + winner] = double.CreateChecked(delta[o]);
                    }
                }
            }
        }
        Assert.Equal(expectedError, inputError.Select(double.CreateChecked).ToArray());
    }

    private static T[] Random<T>(int length, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++) values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return values;
    }
}
