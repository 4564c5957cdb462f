using System.Numerics;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine.Tests.LinearAlgebra;

/// <summary>
/// <see cref="Convolution"/>'s three products against plain loops written from the definitions (in double), on
/// strides, paddings, channel and filter counts, non-square inputs and kernels as large as the input; the same bits
/// on one and two threads; nothing allocated per call.
/// </summary>
public sealed class ConvolutionTests
{
    public static TheoryData<int, int, int, int, int, int, int> Geometries() => new()
    {
        // channels, height, width, filters, kernel, stride, padding
        { 1, 5, 7, 1, 3, 1, 0 },
        { 3, 6, 5, 4, 3, 2, 1 },
        { 2, 7, 9, 3, 3, 3, 2 },
        { 3, 9, 6, 5, 5, 2, 2 },
        { 2, 8, 11, 7, 4, 3, 1 },
        { 4, 3, 5, 6, 1, 1, 0 },
        { 2, 4, 4, 3, 4, 1, 0 },   // kernel = input: one position
        { 2, 5, 8, 3, 5, 1, 0 },   // kernel = input height, non-square input
        { 3, 4, 6, 2, 6, 2, 1 },   // kernel = input width, with padding
        { 1, 28, 28, 20, 5, 1, 0 }, // W4's first layer
        { 20, 12, 12, 40, 5, 1, 0 }, // W4's second layer
        { 16, 20, 17, 24, 3, 2, 1 }, // stride and padding, large enough for two threads to split it
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Double_products_match_loops_over_the_definitions(int channels, int height, int width, int filters, int kernel, int stride, int padding)
    {
        var g = new ConvolutionGeometry(new TensorShape(channels, height, width), filters, kernel, stride, padding);
        foreach (int rows in new[] { 1, 7 })
            foreach (int threads in new[] { 1, 2 }) Check<double>(g, rows, threads, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Float_products_match_loops_over_the_definitions(int channels, int height, int width, int filters, int kernel, int stride, int padding)
    {
        var g = new ConvolutionGeometry(new TensorShape(channels, height, width), filters, kernel, stride, padding);
        foreach (int rows in new[] { 1, 7 })
            foreach (int threads in new[] { 1, 2 }) Check<float>(g, rows, threads, 2e-5);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Results_are_the_same_bits_on_one_and_two_threads(int channels, int height, int width, int filters, int kernel, int stride, int padding)
    {
        var g = new ConvolutionGeometry(new TensorShape(channels, height, width), filters, kernel, stride, padding);
        foreach (int rows in new[] { 1, 7, 32 })
        {
            Results<float> one = Run<float>(g, rows, threads: 1, seed: rows);
            Results<float> two = Run<float>(g, rows, threads: 2, seed: rows);
            Assert.Equal(one.Output, two.Output);
            Assert.Equal(one.WeightGradients, two.WeightGradients);
            Assert.Equal(one.BiasGradients, two.BiasGradients);
            Assert.Equal(one.InputError, two.InputError);
        }
    }

    [Fact]
    public void A_hand_computed_example_gives_its_digits()
    {
        // One 3x3 channel, one 2x2 filter, stride 1, no padding: each output is the filter's dot product with the window.
        var g = new ConvolutionGeometry(new TensorShape(1, 3, 3), 1, 2, 1, 0);
        double[] input = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        double[] weights = [1, 0, -1, 2];
        double[] biases = [0.5];
        var output = new double[4];
        var scratch = new double[Convolution.ScratchLength(g, 1, 1)];
        Convolution.Forward<double>(input, weights, biases, output, g, 1, scratch, 1);
        // z[0,0] = 1·1 + 0·2 − 1·4 + 2·5 + 0.5 = 7.5, and so on one step right / down.
        Assert.Equal([7.5, 9.5, 13.5, 15.5], output);

        double[] delta = [1, -1, 2, 0.5];
        var weightGradients = new double[4];
        var biasGradients = new double[1];
        Convolution.Gradients<double>(input, delta, weightGradients, biasGradients, g, 1, 1.0, scratch, 1);
        // ∂C/∂W[ky,kx] = Σ δ[y,x]·a[y+ky, x+kx]: 1·1 − 1·2 + 2·4 + 0.5·5 = 9.5, 2 − 3 + 10 + 3 = 12, 4 − 5 + 14 + 4 = 17, 5 − 6 + 16 + 4.5 = 19.5
        Assert.Equal([9.5, 12, 17, 19.5], weightGradients);
        Assert.Equal([2.5], biasGradients);

        var inputError = new double[9];
        Convolution.BackpropagateError<double>(delta, weights, inputError, g, 1, scratch, 1);
        // The full convolution of δ with the flipped kernel: a[i,j] gets Σ W[ky,kx]·δ[i−ky, j−kx], e.g. the centre
        // 1·0.5 + 0·2 − 1·(−1) + 2·1 = 3.5.
        Assert.Equal([1, -1, 0, 1, 3.5, -2, -2, 3.5, 1], inputError);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Calls_allocate_nothing(int threads)
    {
        var g = new ConvolutionGeometry(new TensorShape(20, 12, 12), 40, 5, 1, 0);
        const int rows = 32;
        float[] input = Random<float>(rows * (int)g.Input.Length, 1), weights = Random<float>(g.Filters * g.PatchLength, 2),
            biases = Random<float>(g.Filters, 3), output = new float[rows * g.Output.Length], delta = Random<float>(rows * (int)g.Output.Length, 4),
            weightGradients = new float[weights.Length], biasGradients = new float[g.Filters], inputError = new float[input.Length],
            scratch = new float[Convolution.ScratchLength(g, rows, threads)];
        void Once()
        {
            Convolution.Forward<float>(input, weights, biases, output, g, rows, scratch, threads);
            Convolution.Gradients<float>(input, delta, weightGradients, biasGradients, g, rows, 0.5f, scratch, threads);
            Convolution.BackpropagateError<float>(delta, weights, inputError, g, rows, scratch, threads);
        }
        Once();
        Assert.Equal(0, Allocations.FewestBytes(() =>
        {
            for (int i = 0; i < 3; i++) Once();
        }));
    }

    [Fact]
    public void Short_spans_and_a_kernel_that_does_not_fit_are_refused_before_any_work()
    {
        var g = new ConvolutionGeometry(new TensorShape(2, 5, 5), 3, 3, 1, 0);
        var scratch = new float[Convolution.ScratchLength(g, 2, 1)];
        var output = new float[2 * g.Output.Length];
        Assert.Throws<ArgumentException>(() => Convolution.Forward<float>(new float[2 * 50 - 1], new float[54], new float[3], output, g, 2, scratch, 1));
        Assert.Throws<ArgumentException>(() => Convolution.Forward<float>(new float[100], new float[53], new float[3], output, g, 2, scratch, 1));
        Assert.Throws<ArgumentException>(() => Convolution.Forward<float>(new float[100], new float[54], new float[3], output, g, 2, new float[scratch.Length - 1], 1));
        var tooBig = new ConvolutionGeometry(new TensorShape(2, 5, 5), 3, 6, 1, 0);
        Assert.Throws<ArgumentException>(() => Convolution.ScratchLength(tooBig, 1, 1));
    }

    private sealed record Results<T>(T[] Output, T[] WeightGradients, T[] BiasGradients, T[] InputError, T[] Input, T[] Weights, T[] Biases, T[] Delta);

    private static Results<T> Run<T>(ConvolutionGeometry g, int rows, int threads, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputLength = (int)g.Input.Length, outputLength = (int)g.Output.Length;
        T[] input = Random<T>(rows * inputLength, seed), weights = Random<T>(g.Filters * g.PatchLength, seed + 1),
            biases = Random<T>(g.Filters, seed + 2), delta = Random<T>(rows * outputLength, seed + 3);
        // Outputs start as garbage: every kernel overwrites.
        T[] output = Random<T>(rows * outputLength, seed + 4), weightGradients = Random<T>(weights.Length, seed + 5),
            biasGradients = Random<T>(g.Filters, seed + 6), inputError = Random<T>(input.Length, seed + 7);
        var scratch = new T[Convolution.ScratchLength(g, rows, threads)];
        Convolution.Forward<T>(input, weights, biases, output, g, rows, scratch, threads);
        Convolution.Gradients<T>(input, delta, weightGradients, biasGradients, g, rows, T.CreateChecked(0.25), scratch, threads);
        Convolution.BackpropagateError<T>(delta, weights, inputError, g, rows, scratch, threads);
        return new(output, weightGradients, biasGradients, inputError, input, weights, biases, delta);
    }

    private static void Check<T>(ConvolutionGeometry g, int rows, int threads, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Results<T> r = Run<T>(g, rows, threads, seed: rows * 13 + g.Kernel);
        (double[] output, double[] weightGradients, double[] biasGradients, double[] inputError) =
            Reference(g, rows, D(r.Input), D(r.Weights), D(r.Biases), D(r.Delta), 0.25);
        string where = $"{g} rows={rows} threads={threads}";
        Close(output, r.Output, tolerance, g.PatchLength, $"output, {where}");
        Close(weightGradients, r.WeightGradients, tolerance, rows * g.Positions, $"weight gradients, {where}");
        Close(biasGradients, r.BiasGradients, tolerance, rows * g.Positions, $"bias gradients, {where}");
        Close(inputError, r.InputError, tolerance, g.Filters * g.Kernel * g.Kernel, $"input error, {where}");
    }

    /// <summary>The definitions, term by term: each output, weight gradient and input error as its own sum.</summary>
    private static (double[] Output, double[] WeightGradients, double[] BiasGradients, double[] InputError) Reference(
        ConvolutionGeometry g, int rows, double[] input, double[] weights, double[] biases, double[] delta, double scale)
    {
        TensorShape i = g.Input, o = g.Output;
        int k = g.Kernel;
        var output = new double[rows * o.Length];
        var weightGradients = new double[weights.Length];
        var biasGradients = new double[g.Filters];
        var inputError = new double[input.Length];
        double In(int n, int c, int y, int x) =>
            y < 0 || y >= i.Height || x < 0 || x >= i.Width ? 0 : input[n * i.Length + (c * i.Height + y) * i.Width + x];
        for (int n = 0; n < rows; n++)
        {
            for (int f = 0; f < g.Filters; f++)
            {
                for (int y = 0; y < o.Height; y++)
                {
                    for (int x = 0; x < o.Width; x++)
                    {
                        long at = n * o.Length + (f * o.Height + y) * o.Width + x;
                        double sum = biases[f];
                        double d = delta[at];
                        biasGradients[f] += scale * d;
                        for (int c = 0; c < i.Channels; c++)
                        {
                            for (int ky = 0; ky < k; ky++)
                            {
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = y * g.Stride + ky - g.Padding, ix = x * g.Stride + kx - g.Padding;
                                    int w = ((f * i.Channels + c) * k + ky) * k + kx;
                                    sum += weights[w] * In(n, c, iy, ix);
                                    weightGradients[w] += scale * d * In(n, c, iy, ix);
                                    if (iy >= 0 && iy < i.Height && ix >= 0 && ix < i.Width)
                                        inputError[n * i.Length + (c * i.Height + iy) * i.Width + ix] += weights[w] * d;
                                }
                            }
                        }
                        output[at] = sum;
                    }
                }
            }
        }
        return (output, weightGradients, biasGradients, inputError);
    }

    private static void Close<T>(double[] expected, T[] actual, double tolerance, int terms, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++)
        {
            double value = double.CreateChecked(actual[j]);
            Assert.True(Math.Abs(value - expected[j]) <= tolerance * (1 + Math.Abs(expected[j])) * Math.Sqrt(terms),
                $"{what}: [{j}] = {value}, expected {expected[j]}");
        }
    }

    private static double[] D<T>(T[] values) where T : unmanaged, IFloatingPointIeee754<T> => values.Select(double.CreateChecked).ToArray();

    private static T[] Random<T>(int length, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++) values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return values;
    }
}
