using System.Net;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>Cancelling a sweep cancels its queued and running jobs, each as a job cancel does; finished jobs keep their results.</summary>
public sealed class SweepCancelTests
{
    [Fact]
    public async Task Cancel_stops_the_running_job_and_dequeues_the_rest_while_queued_jobs_without_a_value_rank_last()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Training:Concurrency"] = "1" });
        var client = factory.CreateClient();
        var dataset = await LongJobs.UploadAsync(client);
        var outside = await client.SubmitJobAsync(XorJobs.Request("not in the sweep", epochs: 5));

        // The first point trains for long; the other two wait behind it.
        var sweep = await client.SubmitSweepAsync($$"""
            { "name": "cancel me", "base": {{System.Text.Json.JsonSerializer.Serialize(LongJobs.Request(dataset.Id, epochs: 5000), ApiClient.Json)}},
              "grid": { "learningRate": [0.001, 0.002, 0.003] } }
            """);
        Assert.Equal(SweepStatus.Queued, sweep.Status);
        Assert.All(sweep.Jobs, j => Assert.Null(j.Rank));
        Assert.Equal(new[] { 1, 2, 3 }, sweep.Jobs.Select(j => j.Point));
        await client.WaitUntilFinishedAsync(outside.Id, TimeSpan.FromMinutes(1));
        var running = await client.WaitForSweepAsync(sweep.Id, s => s.Jobs.Any(j => j.Best is not null), TimeSpan.FromMinutes(1));
        Assert.Equal(SweepStatus.Running, running.Status);
        // The job with a value ranks first; the queued ones follow in point order.
        Assert.Equal(1, running.Jobs[0].Rank);
        Assert.Equal(new[] { 2, 3 }, running.Jobs.Skip(1).Select(j => j.Point));
        Assert.All(running.Jobs.Skip(1), j => Assert.Equal(JobStatus.Queued, j.Status));

        var response = await client.PostAsync($"api/sweeps/{sweep.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var cancelled = await client.WaitUntilSweepFinishedAsync(sweep.Id, TimeSpan.FromMinutes(1));
        Assert.Equal(SweepStatus.Cancelled, cancelled.Status);
        Assert.All(cancelled.Jobs, j => Assert.Equal(JobStatus.Cancelled, j.Status));
        // As a job cancel does: the job that trained keeps its best model so far.
        Assert.NotNull(cancelled.Jobs.Single(j => j.Point == 1).ModelId);
        Assert.Equal(JobStatus.Succeeded, (await client.GetAsync<Job>($"api/jobs/{outside.Id}")).Status);
        // Cancelling again changes nothing and is not an error.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"api/sweeps/{sweep.Id}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task A_finished_sweep_cannot_be_cancelled_and_an_unknown_one_is_not_found()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var sweep = await client.SubmitSweepAsync($$"""{ "name": "done", "base": {{SweepRequests.XorBase(epochs: 2)}}, "grid": { "seed": [1, 2] } }""");
        await client.WaitUntilSweepFinishedAsync(sweep.Id, TimeSpan.FromMinutes(1));

        var finished = await client.PostAsync($"api/sweeps/{sweep.Id}/cancel", null);
        var unknown = await client.PostAsync("api/sweeps/nope/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, finished.StatusCode);
        Assert.Contains("succeeded", await finished.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/sweeps/nope")).StatusCode);
    }
}
