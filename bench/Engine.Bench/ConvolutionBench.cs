using System.Diagnostics;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine.Bench;

/// <summary>
/// The convolution kernels on W4's two conv layers at its mini-batch of 32 (1x28x28 → 20 filters 5x5 → 20x24x24, pooled
/// to 20x12x12 → 40 filters 5x5 → 40x8x8): forward, weight and bias gradients (BP4, BP3) for both, and the error sent
/// back (BP2) for the second only (the first layer's input is the data). µs per call, median of 15 rounds, GFLOP/s
/// (2 flops per multiply-add of the definitions) and % of the FMA peak measured in this process; then the max-pool
/// kernels, and the whole of the conv layers' work per mini-batch as it would weigh in an epoch of 250 mini-batches.
/// Beside each: <c>gemm_only_gflops</c>, the same products as one <see cref="Gemm"/> call per sample on an im2col matrix
/// made beforehand (the cost of gathering the patches left out).
/// </summary>
internal static class ConvolutionBench
{
    private const int Batch = 32;

    public static void Run(BenchOptions bench, double peakGflops)
    {
        var random = new Random(bench.Seed);
        ConvolutionGeometry first = new(new TensorShape(1, 28, 28), 20, 5, 1, 0), second = new(new TensorShape(20, 12, 12), 40, 5, 1, 0);
        double totalSeconds = 0, totalFlops = 0;
        foreach ((string name, ConvolutionGeometry g, bool backpropagate) in new[] { ("conv1", first, false), ("conv2", second, true) })
        {
            int inputLength = (int)g.Input.Length, outputLength = (int)g.Output.Length;
            float[] input = RandomValues(random, Batch * inputLength), weights = RandomValues(random, g.Filters * g.PatchLength),
                biases = RandomValues(random, g.Filters), output = new float[Batch * outputLength], delta = RandomValues(random, Batch * outputLength),
                weightGradients = new float[weights.Length], biasGradients = new float[g.Filters], inputError = new float[input.Length],
                scratch = new float[Convolution.ScratchLength(g, Batch, bench.Threads)];
            double flops = 2.0 * Batch * g.Positions * g.Filters * g.PatchLength;
            var operations = new List<(string, Action)>
            {
                ("forward", () => Convolution.Forward<float>(input, weights, biases, output, g, Batch, scratch, bench.Threads)),
                ("gradients", () => Convolution.Gradients<float>(input, delta, weightGradients, biasGradients, g, Batch, 1f / Batch, scratch, bench.Threads)),
            };
            if (backpropagate)
                operations.Add(("backpropagate", () => Convolution.BackpropagateError<float>(delta, weights, inputError, g, Batch, scratch, bench.Threads)));
            // The same products as plain GEMMs on an im2col matrix made beforehand (one per sample, each packed by the GEMM):
            // what the convolution would cost if gathering the patches were free.
            int patch = g.PatchLength, positions = g.Positions, filters = g.Filters;
            float[] columns = RandomValues(random, patch * positions);
            var products = new Dictionary<string, Action>
            {
                ["forward"] = () =>
                {
                    for (int n = 0; n < Batch; n++)
                        Gemm.Multiply<float>(weights, columns, output.AsSpan(n * outputLength, outputLength), filters, positions, patch, 1f, accumulate: false, bench.Threads);
                },
                ["gradients"] = () =>
                {
                    for (int n = 0; n < Batch; n++)
                        Gemm.MultiplyTransposedB<float>(delta.AsSpan(n * outputLength, outputLength), columns, weightGradients, filters, patch, positions, 1f / Batch,
                            accumulate: n > 0, bench.Threads);
                },
                ["backpropagate"] = () =>
                {
                    for (int n = 0; n < Batch; n++)
                        Gemm.MultiplyTransposedA<float>(weights, delta.AsSpan(n * outputLength, outputLength), columns, patch, positions, filters, 1f,
                            accumulate: false, bench.Threads);
                },
            };
            foreach ((string operation, Action call) in operations)
            {
                double seconds = Time(call, bench.Smoke);
                totalSeconds += seconds;
                totalFlops += flops;
                double gflops = flops / seconds / 1e9;
                double gemmGflops = flops / Time(products[operation], bench.Smoke) / 1e9;
                Report.Result($"engine.w4_{name}_{operation}.t{bench.Threads}", ("us", seconds * 1e6), ("gflops", gflops), ("pct_of_peak", 100 * gflops / peakGflops),
                    ("gemm_only_gflops", gemmGflops));
            }
        }
        double allGflops = totalFlops / totalSeconds / 1e9;
        Report.Result($"engine.w4_conv_kernels.t{bench.Threads}", ("ms_per_batch", totalSeconds * 1e3), ("gflops", allGflops),
            ("pct_of_peak", 100 * allGflops / peakGflops), ("sec_per_250_batches", totalSeconds * 250));

        foreach ((string name, TensorShape shape) in new[] { ("pool1", first.Output), ("pool2", second.Output) })
        {
            int inputLength = (int)shape.Length, outputLength = shape.Channels * (shape.Height / 2) * (shape.Width / 2);
            float[] input = RandomValues(random, Batch * inputLength), output = new float[Batch * outputLength],
                delta = RandomValues(random, Batch * outputLength), inputError = new float[input.Length];
            var winners = new int[Batch * outputLength];
            double forward = Time(() => MaxPooling.Forward<float>(input, output, winners, shape, 2, Batch), bench.Smoke);
            double backward = Time(() => MaxPooling.Backpropagate<float>(delta, winners, inputError, shape, 2, Batch), bench.Smoke);
            Report.Result($"engine.w4_{name}.t{bench.Threads}", ("forward_us", forward * 1e6), ("backpropagate_us", backward * 1e6));
        }
    }

    /// <summary>Seconds per call: median of 15 rounds of about 20 ms each, after one such round of warm-up.</summary>
    private static double Time(Action call, bool smoke)
    {
        long started = Stopwatch.GetTimestamp();
        call();
        double once = Math.Max(Stopwatch.GetElapsedTime(started).TotalSeconds, 1e-6);
        int calls = Math.Max(3, (int)(0.02 / once));
        if (smoke) calls = Math.Max(1, calls / 10);
        for (int i = 0; i < calls; i++) call();
        var seconds = new List<double>();
        for (int round = 0; round < (smoke ? 3 : 15); round++)
        {
            started = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) call();
            seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds / calls);
        }
        return Report.Median(seconds);
    }

    private static float[] RandomValues(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
