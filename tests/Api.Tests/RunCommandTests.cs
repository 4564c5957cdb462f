using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using BackpropService.Api.Tests.Infrastructure;

namespace BackpropService.Api.Tests;

/// <summary>
/// The README's run command trains at full speed: it must never build the engine without optimizations
/// (a Debug engine trains 6-9× slower; bench/README.md, "Through the service").
/// </summary>
public sealed partial class RunCommandTests
{
    [Fact]
    public async Task The_readme_run_command_builds_the_engine_optimized()
    {
        var root = Repository.Root();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var command = RunCommand().Match(readme);
        Assert.True(command.Success, "README.md has no 'dotnet run --project src/Api' line");
        var configuration = ConfigurationOption().Match(command.Groups["arguments"].Value) is { Success: true } option
            ? option.Groups["configuration"].Value
            : "Debug"; // what `dotnet run` builds when no configuration is given

        Assert.Equal("true", await EngineOptimizeAsync(root, configuration));
    }

    [Theory]
    [InlineData("Debug")]
    [InlineData("Release")]
    public async Task The_engine_is_optimized_in_every_configuration_so_a_plain_run_or_a_debug_session_trains_at_full_speed(string configuration)
    {
        Assert.Equal("true", await EngineOptimizeAsync(Repository.Root(), configuration));
    }

    [Fact]
    public void The_engine_these_tests_run_was_compiled_with_the_jit_optimizer_on()
    {
        var engine = typeof(BackpropService.Engine.TrainedModel).Assembly;
        var debuggable = engine.GetCustomAttribute<DebuggableAttribute>();
        Assert.False(debuggable?.IsJITOptimizerDisabled ?? false, $"{engine.GetName().Name} was built without optimizations");
    }

    /// <summary>MSBuild's own answer for src/Engine's <c>Optimize</c> property in that configuration (evaluation only, no build).</summary>
    private static async Task<string> EngineOptimizeAsync(string root, string configuration)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            ArgumentList = { "msbuild", Path.Combine(root, "src", "Engine", "Engine.csproj"), "-nologo", "-getProperty:Optimize", $"-p:Configuration={configuration}" },
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test host's MSBuild variables belong to the build that ran the tests, not to this evaluation.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild -getProperty failed: {await output} {await error}");
        return (await output).Trim();
    }

    /// <summary>The quick start's run command: a line that starts with it, up to a comment.</summary>
    [GeneratedRegex(@"^dotnet run --project src/Api(?<arguments>[^#\n]*)", RegexOptions.Multiline)]
    private static partial Regex RunCommand();

    [GeneratedRegex(@"(?:^|\s)(?:-c|--configuration)[\s=](?<configuration>\S+)")]
    private static partial Regex ConfigurationOption();
}
