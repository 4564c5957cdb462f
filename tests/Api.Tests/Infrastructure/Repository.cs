namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>The checkout the tests run from, found by walking up from the test binaries.</summary>
public static class Repository
{
    /// <summary>The folder that holds BackpropService.sln.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BackpropService.sln"))) return dir.FullName;
        throw new InvalidOperationException($"BackpropService.sln not found above {AppContext.BaseDirectory}");
    }
}
