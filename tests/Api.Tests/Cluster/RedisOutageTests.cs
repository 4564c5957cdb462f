using System.Net;
using System.Text.Json;
using BackpropService.Api.Tests.Access;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Api.Tests.Cluster;

/// <summary>
/// <c>ConnectionStrings:Redis</c> names a Redis that cannot be reached: the process logs it, serves on its own as a
/// single process does, and <c>/health/ready</c> says why it is Degraded.
/// </summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task With_its_Redis_unreachable_a_process_trains_serves_and_revokes_on_its_own_and_readiness_reports_Redis()
    {
        using var database = new TempDatabase();
        // Port 1: nothing listens there, so every connection attempt is refused at once.
        await using var service = await ServiceProcess.StartAsync(database, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=500",
            ["Training:WarmUp"] = "false",
        });
        var admin = service.CreateClient();

        using (var ready = await admin.GetAsync("health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var redis = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("redis");
            Assert.Equal("Degraded", redis.GetProperty("status").GetString());
            Assert.Contains("unreachable", redis.GetProperty("description").GetString());
            Assert.Equal("127.0.0.1:1", redis.GetProperty("data").GetProperty("endpoints").GetString());
        }

        // Training and live updates work as in a single process.
        await using var hub = service.CreateHubConnection();
        var final = new TaskCompletionSource<Job>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<Job>(TrainingHubMethods.JobUpdated, j =>
        {
            if (j.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled) final.TrySetResult(j);
        });
        await hub.StartAsync();
        await hub.InvokeAsync(TrainingHubMethods.SubscribeToJobs);
        var job = await admin.SubmitJobAsync(XorJobs.Request("without redis", epochs: 5));
        var finished = await final.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(finished.Status == JobStatus.Succeeded, $"{finished.Status}: {finished.Error}\n{service.Output}");
        Assert.Equal(job.Id, finished.Id);

        // Revocation holds on the next request: while Redis is away keys are read from the database every time.
        var key = await new KeyClient(admin).CreateAsync("revoked without redis", ApiKeyScope.Predict);
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/models")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/keys/{key.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/models")).StatusCode);
    }
}
