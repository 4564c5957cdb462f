using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using BackpropService.Engine.Data;
using BackpropService.Engine.Evaluation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BackpropService.Engine.Tests;

/// <summary>
/// The engine-as-a-library example in README.md, taken from the README itself, compiled and run: the README
/// cannot drift from the engine's API without this test failing.
/// </summary>
public class ReadmeExampleTests
{
    private const string Section = "## The engine as a library";

    // What the README's code binds to besides its own lines: the engine's namespaces, and stand-ins for Console
    // and File (types of the global namespace win over imported ones), so that it prints into a list and writes
    // its model file into this test's temporary folder instead of the working directory.
    private const string Harness = """
        global using System;
        global using BackpropService.Engine;
        global using BackpropService.Engine.Activations;
        global using BackpropService.Engine.Costs;
        global using BackpropService.Engine.Data;
        global using BackpropService.Engine.Evaluation;
        global using BackpropService.Engine.Optimizers;
        global using BackpropService.Engine.Training;

        public static class ReadmeRun
        {
            public static string Folder = "";
            public static System.Collections.Generic.List<string> Printed = new();
        }

        internal static class Console
        {
            public static void WriteLine(string line) => ReadmeRun.Printed.Add(line);
        }

        internal static class File
        {
            public static void WriteAllBytes(string path, byte[] bytes) =>
                System.IO.File.WriteAllBytes(System.IO.Path.Combine(ReadmeRun.Folder, path), bytes);
        }
        """;

    [Fact]
    public void The_readme_example_trains_spirals()
    {
        string folder = Directory.CreateTempSubdirectory("readme-example-").FullName;
        try
        {
            var printed = RunReadmeExample(folder);

            // It wrote its model where it said, and that model is the one it reported.
            TrainedModel model = TrainedModel.FromBytes(System.IO.File.ReadAllBytes(Path.Combine(folder, "spirals.bpmodel")));
            double accuracy = Evaluator.Evaluate(model, SyntheticDatasets.Create("spirals", samples: 500, seed: 1)).Accuracy!.Value;
            Assert.True(accuracy > 0.9, $"accuracy {accuracy:P1}");
            Assert.Equal($"accuracy {accuracy.ToString("P1", CultureInfo.CurrentCulture)}", printed[^1]);
            Assert.StartsWith("epoch 1: loss ", printed[0], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Compiles the README's C# block as a program and runs it; returns what it printed.</summary>
    private static List<string> RunReadmeExample(string folder)
    {
        var trees = new[] { CSharpSyntaxTree.ParseText(ReadmeCode(), path: "README.md"), CSharpSyntaxTree.ParseText(Harness, path: "Harness.cs") };
        // The test host's own assemblies (the runtime and the engine) are what the example compiles against.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("ReadmeExample", trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, "The README example does not compile:\n" +
            string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        image.Position = 0;
        var context = new AssemblyLoadContext("readme-example", isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromStream(image);
            Type run = assembly.GetType("ReadmeRun")!;
            run.GetField("Folder")!.SetValue(null, folder);
            assembly.EntryPoint!.Invoke(null, [Array.Empty<string>()]);
            return [.. (List<string>)run.GetField("Printed")!.GetValue(null)!];
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The first <c>```csharp</c> block under the README's "The engine as a library" heading.</summary>
    private static string ReadmeCode()
    {
        string[] lines = System.IO.File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        int heading = Array.IndexOf(lines, Section);
        Assert.True(heading >= 0, $"README.md has no '{Section}' heading.");
        int start = Array.FindIndex(lines, heading, line => line.Trim() == "```csharp");
        Assert.True(start >= 0, $"README.md has no C# block under '{Section}'.");
        int end = Array.FindIndex(lines, start + 1, line => line.Trim() == "```");
        return string.Join("\n", lines[(start + 1)..end]);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (System.IO.File.Exists(Path.Combine(folder.FullName, "BackpropService.sln"))) return folder.FullName;
        throw new InvalidOperationException($"No BackpropService.sln above {AppContext.BaseDirectory}.");
    }
}
