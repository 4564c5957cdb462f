using BackpropService.Engine.Data;

namespace BackpropService.Engine.Bench;

/// <summary>The 10k MNIST subset the reference benches use: 8000 training and 2000 test images, pixels in [0, 1].</summary>
internal sealed record MnistData(Dataset Train, Dataset Test)
{
    private const string Marker = "train-images-idx3-ubyte.gz";

    public static MnistData Load(string? explicitDirectory)
    {
        string directory = FindDirectory(explicitDirectory);
        return new MnistData(Read(directory, "train"), Read(directory, "test"));
    }

    /// <summary>--data, then $MNIST_DIR, then shared/data/mnist-10k walking up from here, then /work/shared/data/mnist-10k.</summary>
    private static string FindDirectory(string? explicitDirectory)
    {
        if (!string.IsNullOrEmpty(explicitDirectory)) return explicitDirectory;
        string? fromEnvironment = Environment.GetEnvironmentVariable("MNIST_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "shared", "data", "mnist-10k");
                if (File.Exists(Path.Combine(candidate, Marker))) return candidate;
            }
        }
        const string fallback = "/work/shared/data/mnist-10k";
        if (File.Exists(Path.Combine(fallback, Marker))) return fallback;
        throw new DirectoryNotFoundException("shared/data/mnist-10k not found: pass --data DIR or set MNIST_DIR.");
    }

    private static Dataset Read(string directory, string split)
    {
        using FileStream images = File.OpenRead(Path.Combine(directory, $"{split}-images-idx3-ubyte.gz"));
        using FileStream labels = File.OpenRead(Path.Combine(directory, $"{split}-labels-idx1-ubyte.gz"));
        Dataset data = IdxReader.Read($"mnist-{split}", images, labels);
        // The images' shape, for the convolutional W4 (dense layers flatten it).
        return data.Shape is not null ? data : new Dataset(data.Name, data.Task, data.Features, data.Outputs, data.Inputs, data.Targets, data.Labels, data.ClassNames)
        {
            Shape = new TensorShape(1, 28, 28),
        };
    }
}
