using System.Diagnostics;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine.Bench;

/// <summary>
/// Single-precision C = A·B at 1024³ (the form torch.mm measures), median of 20 calls after 3 warm-ups,
/// reported beside the FMA peak measured in this process. The two transposed forms backprop uses are
/// reported too. Then the small products of W1's and W2's backward pass (BP2, BP4), the shapes where a kernel's
/// fixed costs (packing, stores) matter more than its inner loop.
/// </summary>
internal static class GemmBench
{
    public static void Run(BenchOptions bench, double peakGflops)
    {
        int n = bench.Smoke ? 256 : 1024;
        int calls = bench.Smoke ? 3 : 20;
        var random = new Random(bench.Seed);
        float[] a = RandomMatrix(random, n * n), b = RandomMatrix(random, n * n), c = new float[n * n];
        double flops = 2.0 * n * n * n;

        foreach ((string form, Action multiply) in new (string, Action)[]
        {
            ("", () => Gemm.Multiply<float>(a, b, c, n, n, n, 1f, accumulate: false, bench.Threads)),
            ("_abt", () => Gemm.MultiplyTransposedB<float>(a, b, c, n, n, n, 1f, accumulate: false, bench.Threads)),
            ("_atb", () => Gemm.MultiplyTransposedA<float>(a, b, c, n, n, n, 1f, accumulate: false, bench.Threads)),
        })
        {
            for (int i = 0; i < 3; i++) multiply();
            var seconds = new List<double>();
            for (int i = 0; i < calls; i++)
            {
                long started = Stopwatch.GetTimestamp();
                multiply();
                seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
            double median = Report.Median(seconds);
            double gflops = flops / median / 1e9;
            Report.Result($"engine.sgemm{n}{form}.t{bench.Threads}",
                ("gflops", gflops), ("gflops_best", flops / seconds.Min() / 1e9), ("ms", median * 1e3),
                ("pct_of_peak", 100 * gflops / peakGflops));
        }

        RunBackwardShapes(bench, random);
    }

    /// <summary>
    /// The BP2 (δ·W, <see cref="Gemm.Multiply{T}"/>) and BP4 (δᵀ·a, <see cref="Gemm.MultiplyTransposedA{T}"/>)
    /// products of W1 (784-30-10, batch 10) and W2 (784-256-128-10, batch 64) whose m &lt; 16 or k &lt; 32,
    /// BP4 of a 10-neuron output layer over a full batch of 1000 (k &gt; 256), and W2's large products (forward,
    /// BP4 and BP2 of the hidden layers, which threads share): µs per call, median of 15 rounds.
    /// </summary>
    private static void RunBackwardShapes(BenchOptions bench, Random random)
    {
        (string Name, Form Form, int M, int N, int K)[] shapes =
        [
            ("w1_bp2", Form.AB, 10, 30, 10),
            ("w1_bp4_hidden", Form.ATB, 30, 784, 10),
            ("w1_bp4_output", Form.ATB, 10, 30, 10),
            ("w2_bp2_output", Form.AB, 64, 128, 10),
            ("w2_bp4_output", Form.ATB, 10, 128, 64),
            ("fullbatch_bp4_output", Form.ATB, 10, 30, 1000),
            // W2's large products, the ones shared among threads: forward z = a·Wᵀ, BP4 δᵀ·a, BP2 δ·W.
            ("w2_forward_hidden1", Form.ABT, 64, 256, 784),
            ("w2_forward_hidden2", Form.ABT, 64, 128, 256),
            ("w2_bp4_hidden1", Form.ATB, 256, 784, 64),
            ("w2_bp4_hidden2", Form.ATB, 128, 256, 64),
            ("w2_bp2_hidden2", Form.AB, 64, 256, 128),
        ];
        foreach ((string name, Form form, int m, int n, int k) in shapes)
        {
            float[] a = RandomMatrix(random, m * k), b = RandomMatrix(random, k * n), c = new float[m * n];
            void Multiply()
            {
                if (form == Form.ATB) Gemm.MultiplyTransposedA<float>(a, b, c, m, n, k, 0.1f, accumulate: false, bench.Threads);
                else if (form == Form.ABT) Gemm.MultiplyTransposedB<float>(a, b, c, m, n, k, 1f, accumulate: false, bench.Threads);
                else Gemm.Multiply<float>(a, b, c, m, n, k, 1f, accumulate: false, bench.Threads);
            }

            // About 20 ms per round (2·m·n·k flops at ~20 GFLOP/s, at least 100 calls).
            int calls = Math.Max(100, (int)(20e-3 * 20e9 / (2.0 * m * n * k)));
            if (bench.Smoke) calls = Math.Max(10, calls / 20);
            for (int i = 0; i < calls; i++) Multiply();
            var microseconds = new List<double>();
            for (int round = 0; round < (bench.Smoke ? 3 : 15); round++)
            {
                long started = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls; i++) Multiply();
                microseconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds * 1e6 / calls);
            }
            Report.Result($"engine.gemm_{name}.t{bench.Threads}", ("us_per_call", Report.Median(microseconds)),
                ("us_best", microseconds.Min()), ("m", m), ("n", n), ("k", k));
        }
    }

    /// <summary>Which product: A·B (BP2), Aᵀ·B (BP4) or A·Bᵀ (forward).</summary>
    private enum Form { AB, ATB, ABT }

    private static float[] RandomMatrix(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
