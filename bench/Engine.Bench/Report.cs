using System.Diagnostics;
using System.Globalization;

namespace BackpropService.Engine.Bench;

/// <summary>
/// The reference benches' output format, one line per result:
/// <c>RESULT &lt;library&gt;.&lt;workload&gt;.t&lt;threads&gt; key=value …</c> (values in G6, invariant culture).
/// </summary>
internal static class Report
{
    public static void Result(string name, params (string Key, double Value)[] values)
    {
        IEnumerable<string> pairs = values.Select(v => $"{v.Key}={v.Value.ToString("G6", CultureInfo.InvariantCulture)}");
        Console.WriteLine($"RESULT {name} {string.Join(' ', pairs)}");
        Console.Out.Flush();
    }

    public static void Note(string text)
    {
        Console.WriteLine($"# {text}");
        Console.Out.Flush();
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>Percentile with linear interpolation between closest ranks (p in 0..100), as the reference benches compute it.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        double[] sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        double position = (sorted.Length - 1) * p / 100.0;
        int low = (int)Math.Floor(position), high = (int)Math.Ceiling(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    public static double Microseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
