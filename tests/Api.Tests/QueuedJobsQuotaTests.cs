using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Api.Tests.Access;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

/// <summary>
/// One key cannot fill the queue: past <c>Limits:MaxQueuedJobsPerKey</c> queued jobs its submissions get 429,
/// while other keys still submit, and a place frees up when one of its jobs leaves the queue.
/// </summary>
public sealed class QueuedJobsQuotaTests
{
    private static SubmitJobRequest SmallJob(string name) => XorJobs.Request(name, epochs: 5);

    [Fact]
    public async Task A_key_with_the_most_queued_jobs_gets_429_naming_the_limit_and_the_setting_until_one_leaves_the_queue()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["Limits:MaxQueuedJobsPerKey"] = "2",
            ["Training:Concurrency"] = "1",
        });
        var admin = factory.CreateClient();
        var keys = new KeyClient(admin);
        using var alice = factory.CreateClientWithKey((await keys.CreateAsync("alice", ApiKeyScope.Train)).Key);
        using var bob = factory.CreateClientWithKey((await keys.CreateAsync("bob", ApiKeyScope.Train)).Key);

        // A running job does not count: only the jobs waiting behind it do.
        var dataset = await LongJobs.UploadAsync(admin);
        var running = await alice.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 5000));
        await alice.WaitForJobAsync(running.Id, j => j.Status == JobStatus.Running, TimeSpan.FromSeconds(30));
        var first = await alice.SubmitJobAsync(SmallJob("first"));
        await alice.SubmitJobAsync(SmallJob("second"));

        var refused = await alice.PostAsJsonAsync("/api/jobs", SmallJob("third"), ApiClient.Json);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            var root = problem.RootElement;
            Assert.Equal(429, root.GetProperty("status").GetInt32());
            Assert.Equal(2, root.GetProperty("limit").GetInt32());
            Assert.Equal("Limits:MaxQueuedJobsPerKey", root.GetProperty("setting").GetString());
            Assert.Contains("Limits:MaxQueuedJobsPerKey", root.GetProperty("detail").GetString());
            Assert.True(root.GetProperty("errors").TryGetProperty("queuedJobs", out _), root.GetRawText());
        }
        Assert.DoesNotContain(await alice.GetAsync<List<Job>>("/api/jobs"), j => j.Name == "third");

        // The quota is per key: another key still queues.
        await bob.SubmitJobAsync(SmallJob("bob's"));
        // A cancelled job leaves the queue and frees its place.
        await alice.CancelJobAsync(first.Id);
        await alice.SubmitJobAsync(SmallJob("third"));

        await alice.CancelJobAsync(running.Id);
    }

    [Fact]
    public async Task Admin_keys_have_the_same_quota()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["Limits:MaxQueuedJobsPerKey"] = "1",
            ["Training:Concurrency"] = "1",
        });
        var admin = factory.CreateClient();
        var dataset = await LongJobs.UploadAsync(admin);
        var running = await admin.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 5000));
        await admin.WaitForJobAsync(running.Id, j => j.Status == JobStatus.Running, TimeSpan.FromSeconds(30));
        await admin.SubmitJobAsync(SmallJob("queued"));

        var refused = await admin.PostAsJsonAsync("/api/jobs", SmallJob("one too many"), ApiClient.Json);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        await admin.CancelJobAsync(running.Id);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task A_quota_below_one_stops_the_start(string value)
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Limits:MaxQueuedJobsPerKey"] = value });

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("MaxQueuedJobsPerKey", failure.ToString());
    }
}
