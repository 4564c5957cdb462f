using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackpropService.Api.Tests.Observability;

/// <summary>Logs are structured: what a job's training writes carries the job's id as a scope property.</summary>
public sealed class LogScopeTests
{
    [Fact]
    public async Task Every_log_entry_written_while_a_job_trains_carries_its_job_id()
    {
        using var database = new TempDatabase();
        using var logs = new LogRecorder();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:BackpropService"] = "Information",
            // EF Core logs each command on the training thread: they must carry the scope too.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
        });
        factory.TestServices = services => services.AddSingleton<ILoggerProvider>(logs);
        var client = factory.CreateClient();

        var job = await client.SubmitJobAsync(XorJobs.Request("xor-logged", epochs: 2));
        var finished = await logs.Entries.WaitForAsync(e => e.Message.StartsWith($"Job {job.Id} ends", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        Assert.Contains("succeeded", finished.Message, StringComparison.OrdinalIgnoreCase);
        var started = Assert.Single(logs.Entries.Items, e => e.Message.StartsWith($"Job {job.Id} starts", StringComparison.Ordinal));
        // The training thread also wrote database commands (epochs, checkpoints, the model): every one in the scope.
        var trainingThread = logs.Entries.Items.Where(e => e.Thread == $"training {job.Id}").ToList();
        Assert.Contains(trainingThread, e => e.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.All(trainingThread, e => Assert.Contains(new KeyValuePair<string, object?>("JobId", job.Id), e.ScopeProperties));
        Assert.Contains(new KeyValuePair<string, object?>("JobId", job.Id), started.ScopeProperties);
        Assert.Contains(new KeyValuePair<string, object?>("JobId", job.Id), finished.ScopeProperties);
    }
}
