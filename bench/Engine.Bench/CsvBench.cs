using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using BackpropService.Engine.Data;

namespace BackpropService.Engine.Bench;

/// <summary>
/// CSV reading: the time to read an MNIST-sized CSV (8000 rows of a label and 784 pixels, about 81 % zeros like MNIST,
/// in the Kaggle layout with the label first) and the bytes allocated while refusing a gzip bomb of 100,000,000 rows of
/// <c>0,a</c> (400 MB of text in about 0.4 MB of gzip) under the service's default limits.
/// </summary>
internal static class CsvBench
{
    private const int Rows = 8000, Pixels = 784;

    /// <summary>The service's default <c>Limits:MaxDatasetBytes</c>, which also bounds the uncompressed text.</summary>
    private const long DefaultDatasetBytes = 500_000_000;

    public static void Run(BenchOptions bench)
    {
        byte[] mnistCsv = MnistSizedCsv(bench.Seed);
        var options = new CsvReadOptions { LabelColumn = "label", MaxBytes = DefaultDatasetBytes, MaxValues = DefaultDatasetBytes / sizeof(float) };
        CsvReader.Read(new MemoryStream(mnistCsv), options); // warm-up (and a check that it reads)
        var seconds = new List<double>();
        long allocated = 0;
        for (int run = 0; run < (bench.Smoke ? 2 : 7); run++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            Dataset data = CsvReader.Read(new MemoryStream(mnistCsv), options);
            seconds.Add(watch.Elapsed.TotalSeconds);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (data.Samples != Rows || data.Features != Pixels) throw new InvalidOperationException("the CSV was misread");
        }
        double median = Report.Median(seconds);
        Report.Result("engine.csv_mnist8000.t1", ("seconds", median), ("seconds_best", seconds.Min()),
            ("mb_per_s", mnistCsv.Length / median / 1e6), ("text_bytes", mnistCsv.Length), ("allocated_bytes", allocated));

        byte[] bomb = GzipOfTinyRows(bench.Smoke ? 1_000_000 : 100_000_000);
        long start = GC.GetAllocatedBytesForCurrentThread();
        var bombWatch = Stopwatch.StartNew();
        string outcome;
        try
        {
            CsvReader.Read(new MemoryStream(bomb), options);
            outcome = "read";
        }
        catch (DataFormatException e)
        {
            outcome = e.Message;
        }
        Report.Result("engine.csv_gzip_bomb.t1", ("gzip_bytes", bomb.Length), ("allocated_bytes", GC.GetAllocatedBytesForCurrentThread() - start),
            ("seconds", bombWatch.Elapsed.TotalSeconds));
        Report.Note($"gzip bomb outcome: {outcome}");
    }

    private static byte[] MnistSizedCsv(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("label");
        for (int p = 0; p < Pixels; p++) text.Append(",pixel").Append(p.ToString(CultureInfo.InvariantCulture));
        text.Append('\n');
        for (int row = 0; row < Rows; row++)
        {
            text.Append(random.Next(10).ToString(CultureInfo.InvariantCulture));
            for (int p = 0; p < Pixels; p++)
                text.Append(',').Append((random.NextDouble() < 0.81 ? 0 : random.Next(1, 256)).ToString(CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>"x,label" then <paramref name="rows"/> rows of "0,a", compressed as they are written (never whole in memory).</summary>
    private static byte[] GzipOfTinyRows(int rows)
    {
        byte[] block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0,a\n", 100_000)));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write("x,label\n"u8);
            for (int written = 0; written < rows; written += 100_000) gzip.Write(block);
        }
        return compressed.ToArray();
    }
}
