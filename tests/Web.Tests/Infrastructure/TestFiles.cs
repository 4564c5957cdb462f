namespace BackpropService.Web.Tests.Infrastructure;

/// <summary>Where the tests find data and put artifacts.</summary>
public static class TestFiles
{
    /// <summary>$MNIST_DIR, else shared/data/mnist-10k found walking up from the test binaries, else /work/shared/data/mnist-10k.</summary>
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

    /// <summary>The test run's artifact folder (next to the test binaries).</summary>
    public static string ArtifactPath(string fileName)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, fileName);
    }

    /// <summary>
    /// The repository's docs/screenshots folder (found by walking up to the solution file), or null outside a checkout.
    /// Tests write there only when UPDATE_SCREENSHOTS=1, so a test run leaves the work tree clean.
    /// </summary>
    public static string? ScreenshotsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BackpropService.sln")))
                return Path.Combine(dir.FullName, "docs", "screenshots");
        return null;
    }
}
