using System.Net;
using System.Text.Json;
using BackpropService.Api.Tests.Access;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>
/// A sweep is bounded by <c>Limits:MaxSweepPoints</c>, and its jobs count against the key's queued-jobs quota all
/// together: either every job is queued or none is. Sweeps belong to the key that made them, as jobs do.
/// </summary>
public sealed class SweepLimitsTests
{
    private static readonly string Xor = SweepRequests.XorBase(epochs: 1);

    [Fact]
    public async Task More_points_than_Limits_MaxSweepPoints_get_400_on_grid_or_trials_and_queue_nothing()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Limits:MaxSweepPoints"] = "5" });
        var client = factory.CreateClient();

        var grid = await client.PostSweepAsync($$"""{ "name": "big", "base": {{Xor}}, "grid": { "learningRate": [0.1, 0.2], "seed": [1, 2, 3] } }""");
        var random = await client.PostSweepAsync($$"""{ "name": "big", "base": {{Xor}}, "trials": 6, "random": { "seed": { "values": [1, 2] } } }""");

        Assert.Equal(HttpStatusCode.BadRequest, grid.StatusCode);
        Assert.Contains("2 × 3 = 6 points", Assert.Single((await SweepRequests.ErrorsAsync(grid))["grid"]));
        Assert.Contains("Limits:MaxSweepPoints", Assert.Single((await SweepRequests.ErrorsAsync(grid))["grid"]));
        Assert.Equal(HttpStatusCode.BadRequest, random.StatusCode);
        Assert.Contains("Limits:MaxSweepPoints", Assert.Single((await SweepRequests.ErrorsAsync(random))["trials"]));
        Assert.Empty(await client.GetAsync<List<Job>>("api/jobs"));

        // At the limit it is accepted.
        var five = await client.SubmitSweepAsync($$"""{ "name": "five", "base": {{Xor}}, "trials": 5, "random": { "seed": { "values": [1, 2] } } }""");
        Assert.Equal(5, five.Jobs.Count);
    }

    [Fact]
    public async Task A_sweep_whose_jobs_would_pass_the_queued_jobs_quota_gets_429_and_queues_none_of_them()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["Limits:MaxQueuedJobsPerKey"] = "4",
            ["Training:Concurrency"] = "1",
        });
        var client = factory.CreateClient();
        var dataset = await LongJobs.UploadAsync(client);
        var running = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 5000));
        await client.WaitForJobAsync(running.Id, j => j.Status == JobStatus.Running, TimeSpan.FromSeconds(30));
        await client.SubmitJobAsync(XorJobs.Request("queued 1", epochs: 1));
        await client.SubmitJobAsync(XorJobs.Request("queued 2", epochs: 1));

        // Two queued and three more would make five, one past the quota of four.
        var refused = await client.PostSweepAsync($$"""{ "name": "three", "base": {{Xor}}, "grid": { "seed": [1, 2, 3] } }""");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Limits:MaxQueuedJobsPerKey", problem.RootElement.GetProperty("setting").GetString());
            Assert.Equal(4, problem.RootElement.GetProperty("limit").GetInt32());
            Assert.Contains("would make 5", problem.RootElement.GetProperty("errors").GetProperty("queuedJobs")[0].GetString());
        }
        Assert.Empty(await client.GetAsync<List<Sweep>>("api/sweeps"));
        Assert.Equal(2, (await client.GetAsync<List<Job>>("api/jobs?status=queued")).Count);

        // Two more fit exactly.
        var accepted = await client.SubmitSweepAsync($$"""{ "name": "two", "base": {{Xor}}, "grid": { "seed": [1, 2] } }""");
        Assert.Equal(4, (await client.GetAsync<List<Job>>("api/jobs?status=queued")).Count);
        await client.PostAsync($"api/sweeps/{accepted.Id}/cancel", null);
        await client.CancelJobAsync(running.Id);
    }

    [Fact]
    public async Task Another_train_key_sees_a_sweep_but_may_not_cancel_it_while_its_creator_and_an_admin_may()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Training:Concurrency"] = "1" });
        var admin = factory.CreateClient();
        var keys = new KeyClient(admin);
        using var alice = factory.CreateClientWithKey((await keys.CreateAsync("alice", ApiKeyScope.Train)).Key);
        using var bob = factory.CreateClientWithKey((await keys.CreateAsync("bob", ApiKeyScope.Train)).Key);
        using var reader = factory.CreateClientWithKey((await keys.CreateAsync("reader", ApiKeyScope.Predict)).Key);
        var dataset = await LongJobs.UploadAsync(alice);
        string body = $$"""{ "name": "alice's", "base": {{JsonSerializer.Serialize(LongJobs.Request(dataset.Id, epochs: 5000), ApiClient.Json)}}, "grid": { "seed": [1, 2] } }""";
        var sweep = await alice.SubmitSweepAsync(body);
        var second = await alice.SubmitSweepAsync(body);

        // Read like jobs: any train key sees it, with its creator; a predict key does not.
        var seen = await bob.GetAsync<Sweep>($"api/sweeps/{sweep.Id}");
        Assert.Equal("alice", seen.CreatedBy?.Name);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"api/sweeps/{sweep.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostSweepAsync(body)).StatusCode);

        var refused = await bob.PostAsync($"api/sweeps/{sweep.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("alice", await refused.Content.ReadAsStringAsync());
        Assert.All((await bob.GetAsync<Sweep>($"api/sweeps/{sweep.Id}")).Jobs, j => Assert.True(j.Status is JobStatus.Queued or JobStatus.Running));

        Assert.Equal(HttpStatusCode.Accepted, (await alice.PostAsync($"api/sweeps/{sweep.Id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"api/sweeps/{second.Id}/cancel", null)).StatusCode);
        await alice.WaitForSweepAsync(sweep.Id, s => s.Status == SweepStatus.Cancelled, TimeSpan.FromMinutes(1));
        await alice.WaitForSweepAsync(second.Id, s => s.Status == SweepStatus.Cancelled, TimeSpan.FromMinutes(1));
    }
}
