using System.Diagnostics;
using System.Net;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

public sealed class CancelTests
{
    [Fact]
    public async Task A_running_job_is_cancelled_within_a_second_and_keeps_its_best_model_so_far()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var dataset = await LongJobs.UploadAsync(client);
        using var events = factory.SubscribeToEvents();
        var job = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 500));
        await factory.WaitForEpochAsync(events, job.Id, 3, TimeSpan.FromMinutes(1)); // several epochs to choose the best from

        var clock = Stopwatch.StartNew();
        var response = await client.PostAsync($"/api/jobs/{job.Id}/cancel", content: null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var cancelled = await client.WaitForJobAsync(job.Id, j => j.Status != JobStatus.Running, TimeSpan.FromSeconds(5));
        clock.Stop();

        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"cancel took {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.NotNull(cancelled.ModelId);
        var model = await client.GetAsync<ModelInfo>($"/api/models/{cancelled.ModelId}");
        Assert.Equal(job.Id, model.JobId);
        // "Best so far" is the epoch with the lowest validation loss among those completed.
        var metrics = await client.GetAsync<List<EpochMetrics>>($"/api/jobs/{job.Id}/metrics");
        Assert.NotEmpty(metrics);
        Assert.Equal(metrics.MinBy(m => m.ValidationLoss)!.Epoch, model.Metrics!.Epoch);
        var prediction = await client.PostAsync<PredictResponse>("/predict", new PredictRequest(model.Id, [new float[16]]));
        Assert.Single(prediction.Predictions);

        // Cancelling again is harmless, and a job that no longer runs can be deleted.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/jobs/{job.Id}/cancel", content: null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/jobs/{job.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/jobs/{job.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_job_cancelled_before_its_first_epoch_completes_stores_no_model()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var dataset = await LongJobs.UploadAsync(client);
        // Two 2000-wide layers and batches of 250: each batch is a fraction of a second, an epoch seconds.
        var job = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 5) with
        {
            Layers = [new LayerDefinition(2000, Activation.Tanh), new LayerDefinition(2000, Activation.Tanh), new LayerDefinition(3, Activation.Softmax)],
            BatchSize = 250,
        });
        await client.WaitForJobAsync(job.Id, j => j.Status == JobStatus.Running, TimeSpan.FromSeconds(30));

        await client.PostAsync($"/api/jobs/{job.Id}/cancel", content: null);
        var cancelled = await client.WaitForJobAsync(job.Id, j => j.Status != JobStatus.Running, TimeSpan.FromSeconds(10));

        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal(0, cancelled.Epoch); // otherwise the test did not test what it says
        Assert.Null(cancelled.ModelId);
        Assert.Empty(await client.GetAsync<List<ModelInfo>>("/api/models"));
    }

    [Fact]
    public async Task A_queued_job_is_cancelled_at_once_and_never_runs()
    {
        using var database = new TempDatabase();
        // One training slot, so the second job waits in the queue.
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Training:Concurrency"] = "1" });
        var client = factory.CreateClient();
        var dataset = await LongJobs.UploadAsync(client);
        var running = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 500));
        var queued = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 500, name: "queued"));

        var response = await client.PostAsync($"/api/jobs/{queued.Id}/cancel", content: null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await client.GetAsync<Job>($"/api/jobs/{queued.Id}");
        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.Null(job.StartedAt);

        await client.PostAsync($"/api/jobs/{running.Id}/cancel", content: null);
        var stopped = await client.WaitUntilFinishedAsync(running.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Cancelled, stopped.Status);
    }
}
