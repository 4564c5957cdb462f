using System.Diagnostics;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine.Bench;

/// <summary>
/// Single-precision C = A·B at 1024³ (the form torch.mm measures), median of 20 calls after 3 warm-ups,
/// reported beside the FMA peak measured in this process. The two transposed forms backprop uses are
/// reported too.
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
    }

    private static float[] RandomMatrix(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
