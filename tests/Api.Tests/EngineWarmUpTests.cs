using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Observability;
using BackpropService.Api.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackpropService.Api.Tests;

/// <summary>The start-up warm-up (a speed-up only) runs every one of its setups through the engine without an error.</summary>
public sealed class EngineWarmUpTests
{
    [Fact]
    public async Task At_start_up_the_warm_up_trains_each_of_its_setups_and_reports_done_not_failed()
    {
        using var database = new TempDatabase();
        using var logs = new LogRecorder();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            [$"Logging:LogLevel:{typeof(EngineWarmUp).FullName}"] = "Debug",
        });
        factory.TestServices = services => services.AddSingleton<ILoggerProvider>(logs);
        _ = factory.Services; // starts the host

        var outcome = await logs.Entries.WaitForAsync(e => e.Category == typeof(EngineWarmUp).FullName, TimeSpan.FromSeconds(60));
        Assert.True(outcome.Level == LogLevel.Debug, outcome.ToString());
        Assert.Contains("compiled", outcome.Message);
    }
}
