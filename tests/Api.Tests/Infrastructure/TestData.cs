using System.Globalization;
using System.Text;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>Data the tests upload: the MNIST subset from shared/, and generated CSV files.</summary>
public static class TestData
{
    /// <summary>
    /// The MNIST subset folder: $MNIST_DIR, else shared/data/mnist-10k found by walking up from the test
    /// binaries, else /work/shared/data/mnist-10k. A missing folder fails the test that needs it.
    /// </summary>
    public static string MnistFolder()
    {
        if (Environment.GetEnvironmentVariable("MNIST_DIR") is { Length: > 0 } configured) return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "mnist-10k");
            if (Directory.Exists(candidate)) return candidate;
        }
        return "/work/shared/data/mnist-10k";
    }

    /// <summary>
    /// Well-separated Gaussian blobs in <paramref name="features"/> dimensions with named classes
    /// ("red", "green", "blue", …), as CSV with a header and the label in the last column.
    /// </summary>
    public static string BlobsCsv(int samples, int features, int classes, int seed, double spread = 0.5)
    {
        string[] names = ["red", "green", "blue", "yellow", "cyan", "magenta"];
        var random = new Random(seed);
        var centers = new double[classes][];
        for (int c = 0; c < classes; c++)
        {
            centers[c] = new double[features];
            for (int f = 0; f < features; f++) centers[c][f] = random.NextDouble() * 6 - 3;
        }
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(",", Enumerable.Range(0, features).Select(f => $"x{f}").Append("color")));
        for (int i = 0; i < samples; i++)
        {
            int c = i % classes;
            for (int f = 0; f < features; f++)
            {
                double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                csv.Append((centers[c][f] + spread * gaussian).ToString("0.####", CultureInfo.InvariantCulture)).Append(',');
            }
            csv.AppendLine(names[c]);
        }
        return csv.ToString();
    }
}
