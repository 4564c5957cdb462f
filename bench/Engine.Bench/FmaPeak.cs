using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackpropService.Engine.Bench;

/// <summary>
/// The FP32 FMA peak of this machine, measured in this process as the reference PeakBench does it:
/// 12 independent Vector256 accumulators, each step one <c>Fma.MultiplyAdd</c> per accumulator
/// (12 × 8 lanes × 2 flops), on 1 or more dedicated threads started together.
/// </summary>
internal static class FmaPeak
{
    private const double FlopsPerIteration = 12 * 8 * 2;

    private static float s_sink;

    /// <summary>Median GFLOP/s of <paramref name="repeats"/> runs of <paramref name="iterations"/> steps per thread.</summary>
    public static (double Median, double Best) Measure(int threads, long iterations, int repeats)
    {
        if (!Fma.IsSupported) return (double.NaN, double.NaN);
        Accumulate(1000);
        var gflops = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            double seconds = RunTogether(threads, () => Accumulate(iterations));
            gflops.Add(threads * iterations * FlopsPerIteration / seconds / 1e9);
        }
        return (Report.Median(gflops), gflops.Max());
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="threads"/> dedicated threads released at once; wall seconds.</summary>
    private static double RunTogether(int threads, Action body)
    {
        using var ready = new CountdownEvent(threads);
        using var go = new ManualResetEventSlim(false);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() => { ready.Signal(); go.Wait(); body(); }) { IsBackground = true };
            workers[t].Start();
        }
        ready.Wait();
        long started = Stopwatch.GetTimestamp();
        go.Set();
        foreach (Thread worker in workers) worker.Join();
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(long iterations)
    {
        Vector256<float> factor = Vector256.Create(0.9999999f), addend = Vector256.Create(1e-7f);
        Vector256<float> s0 = Vector256.Create(0.10f), s1 = Vector256.Create(0.15f), s2 = Vector256.Create(0.20f),
            s3 = Vector256.Create(0.25f), s4 = Vector256.Create(0.30f), s5 = Vector256.Create(0.35f),
            s6 = Vector256.Create(0.40f), s7 = Vector256.Create(0.45f), s8 = Vector256.Create(0.50f),
            s9 = Vector256.Create(0.55f), s10 = Vector256.Create(0.60f), s11 = Vector256.Create(0.65f);
        for (long i = 0; i < iterations; i++)
        {
            s0 = Fma.MultiplyAdd(s0, factor, addend); s1 = Fma.MultiplyAdd(s1, factor, addend);
            s2 = Fma.MultiplyAdd(s2, factor, addend); s3 = Fma.MultiplyAdd(s3, factor, addend);
            s4 = Fma.MultiplyAdd(s4, factor, addend); s5 = Fma.MultiplyAdd(s5, factor, addend);
            s6 = Fma.MultiplyAdd(s6, factor, addend); s7 = Fma.MultiplyAdd(s7, factor, addend);
            s8 = Fma.MultiplyAdd(s8, factor, addend); s9 = Fma.MultiplyAdd(s9, factor, addend);
            s10 = Fma.MultiplyAdd(s10, factor, addend); s11 = Fma.MultiplyAdd(s11, factor, addend);
        }
        s_sink += Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }
}
