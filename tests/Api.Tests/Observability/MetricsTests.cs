using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Predict;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Observability;

/// <summary><c>GET /metrics</c> reports what the service did: Prometheus text, counted by OpenTelemetry.</summary>
public sealed class MetricsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Metrics_count_the_epochs_trained_and_the_rows_predicted_and_show_the_queue()
    {
        using var database = new TempDatabase();
        // One training slot: the queue gauges below count a second job as waiting.
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Training:Concurrency"] = "1" });
        var client = factory.CreateClient();

        var job = await client.SubmitJobAsync(XorJobs.Request("xor-metrics", epochs: 7));
        job = await client.WaitUntilFinishedAsync(job.Id, Timeout);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        var epochs = await client.GetAsync<List<EpochMetrics>>($"api/jobs/{job.Id}/metrics");

        // Two JSON calls (3 + 4 rows) and one binary call (2 rows), by both routes.
        await client.PredictJsonAsync("/predict", new PredictRequest("xor-metrics", [[0f, 0f], [0f, 1f], [1f, 0f]]));
        await client.PredictJsonAsync($"/api/models/{job.ModelId}/predict", new PredictRequest(null, [[1f, 1f], [0f, 0f], [1f, 0f], [0f, 1f]]));
        await client.PredictBinaryAsync("/predict", PredictClient.BinaryBody("xor-metrics", [[0f, 0f], [1f, 1f]]));

        var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = PrometheusText.Parse(text);

        Assert.Equal(0, samples.Single("backprop_jobs_queued"));
        Assert.Equal(0, samples.Single("backprop_jobs_running"));
        Assert.Equal(1, samples.Single("backprop_worker_slots"));
        Assert.Equal(0, samples.Single("backprop_worker_slots_busy"));

        // One observation per epoch, and their sum is the epochs' own seconds as the API reports them.
        Assert.Equal(7, epochs.Count);
        Assert.Equal(epochs.Count, samples.Single("backprop_epoch_duration_seconds_count"));
        Assert.Equal(epochs.Sum(e => e.Seconds), samples.Single("backprop_epoch_duration_seconds_sum"), 1e-9);
        Assert.Equal(epochs.Count, samples.Single("backprop_epoch_duration_seconds_bucket", ("le", "+Inf")));

        Assert.Equal(2, samples.Single("backprop_predict_duration_seconds_count", ("format", "json")));
        Assert.Equal(1, samples.Single("backprop_predict_duration_seconds_count", ("format", "binary")));
        Assert.InRange(samples.Single("backprop_predict_duration_seconds_sum", ("format", "json")), 1e-7, Timeout.TotalSeconds);
        Assert.Equal(7, samples.Single("backprop_predict_rows_total", ("format", "json")));
        Assert.Equal(2, samples.Single("backprop_predict_rows_total", ("format", "binary")));

        // The framework's HTTP server histogram, by route: /predict answered 200 twice (one JSON, one binary). The
        // framework records a request after its answer is sent, so the last one may not be counted yet.
        Assert.InRange(samples.Single("http_server_request_duration_seconds_count",
            ("http_route", "/predict"), ("http_request_method", "POST"), ("http_response_status_code", "200")), 1, 2);

        // The queue gauges follow the jobs table: with one training slot, a long job runs and the next one waits.
        var dataset = await LongJobs.UploadAsync(client);
        var running = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 500, name: "running"));
        // After its first epoch a job certainly holds its slot (it takes the slot just after the claim).
        await client.WaitForJobAsync(running.Id, j => j.Status == JobStatus.Running && j.Epoch >= 1, Timeout);
        var queued = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 500, name: "queued"));

        samples = PrometheusText.Parse(await client.GetStringAsync("/metrics"));
        Assert.Equal(1, samples.Single("backprop_jobs_running"));
        Assert.Equal(1, samples.Single("backprop_jobs_queued"));
        Assert.Equal(1, samples.Single("backprop_worker_slots_busy"));

        await client.CancelJobAsync(queued.Id);
        await client.CancelJobAsync(running.Id);
        await client.WaitUntilFinishedAsync(running.Id, Timeout);
    }
}
