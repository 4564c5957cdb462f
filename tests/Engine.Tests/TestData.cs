namespace BackpropService.Engine.Tests;

/// <summary>Finds the data files the tests read, so every test looks in the same places.</summary>
public static class TestData
{
    private const string MnistRelativePath = "shared/data/mnist-10k";
    private const string MnistMarkerFile = "train-images-idx3-ubyte.gz";
    private const string MnistDefaultDirectory = "/work/shared/data/mnist-10k";

    private static readonly Lazy<string?> FoundMnistDirectory = new(FindMnistDirectory);

    /// <summary>
    /// The folder holding the MNIST subset (train-/test-images-idx3-ubyte.gz, train-/test-labels-idx1-ubyte.gz):
    /// the MNIST_DIR environment variable, else a <c>shared/data/mnist-10k</c> folder found by walking up from
    /// the test binaries or the current directory, else /work/shared/data/mnist-10k. A missing folder fails
    /// the test rather than skipping it, so a broken checkout cannot pass silently.
    /// </summary>
    public static string MnistDirectory => FoundMnistDirectory.Value ?? throw new Xunit.Sdk.XunitException(
        $"MNIST data not found. Set the MNIST_DIR environment variable to the folder holding {MnistMarkerFile} " +
        $"(for example MNIST_DIR=/work/shared/data/mnist-10k), or place it in a '{MnistRelativePath}' folder above " +
        "the repository." + (Environment.GetEnvironmentVariable("MNIST_DIR") is { Length: > 0 } set
            ? $" MNIST_DIR is set to '{set}', which has no {MnistMarkerFile}."
            : ""));

    /// <summary>A file inside <see cref="MnistDirectory"/>.</summary>
    public static string MnistFile(string fileName) => Path.Combine(MnistDirectory, fileName);

    private static string? FindMnistDirectory()
    {
        // An explicit setting is the whole answer: silently falling back would hide a typo.
        string? configured = Environment.GetEnvironmentVariable("MNIST_DIR");
        if (!string.IsNullOrWhiteSpace(configured))
            return HasMnist(configured) ? Path.GetFullPath(configured) : null;

        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, MnistRelativePath);
                if (HasMnist(candidate))
                    return candidate;
            }
        }
        return HasMnist(MnistDefaultDirectory) ? MnistDefaultDirectory : null;
    }

    private static bool HasMnist(string directory) => File.Exists(Path.Combine(directory, MnistMarkerFile));
}
