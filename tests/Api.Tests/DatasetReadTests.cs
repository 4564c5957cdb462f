using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Api.Apis;
using BackpropService.Api.Datasets;
using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Engine.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests;

/// <summary>
/// The endpoints that read a whole dataset (preview, decision boundary, evaluate) share one byte-bounded cache of
/// decoded datasets, stop when their caller gives up, and are limited in number (503 with Retry-After past the limit).
/// </summary>
public sealed class DatasetReadTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Preview_decision_boundary_and_evaluate_of_one_dataset_decode_it_once_and_a_delete_drops_it()
    {
        await using var factory = _database.CreateFactory();
        var client = factory.CreateClient();
        var dataset = await client.UploadCsvAsync(TestData.BlobsCsv(200, 2, 2, seed: 1), "two.csv");
        var job = await client.WaitUntilFinishedAsync((await client.SubmitJobAsync(TwoClassJob(dataset.Id))).Id, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, job.Status);
        var cache = factory.Services.GetRequiredService<DatasetCache>();

        await AssertOkAsync(await client.GetAsync($"/api/datasets/{dataset.Id}/preview"));
        await AssertOkAsync(await client.GetAsync($"/api/datasets/{dataset.Id}/preview?samples=4"));
        await AssertOkAsync(await client.GetAsync($"/api/jobs/{job.Id}/decision-boundary?resolution=8"));
        await AssertOkAsync(await client.PostAsJsonAsync($"/api/models/{job.ModelId}/evaluate", new EvaluateRequest(dataset.Id)));

        Assert.Equal(1, cache.Loads);
        Assert.Equal(3, cache.Hits);
        Assert.True(cache.Holds(dataset.Id));
        // 200 samples × (2 inputs + 2 one-hot targets + 1 label) × 4 bytes.
        Assert.Equal(200 * 5 * 4, cache.Bytes);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/models/{job.ModelId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/jobs/{job.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/datasets/{dataset.Id}")).StatusCode);
        Assert.False(cache.Holds(dataset.Id));
        Assert.Equal(0, cache.Bytes);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/datasets/{dataset.Id}/preview")).StatusCode);
    }

    [Fact]
    public async Task Past_its_byte_budget_the_cache_drops_the_least_recently_used_dataset()
    {
        // Each dataset below takes 4,000 bytes decoded: two do not fit in 10,000 bytes with a third.
        await using var factory = _database.CreateFactory(new Dictionary<string, string?> { ["Limits:DatasetCacheBytes"] = "10000" });
        var client = factory.CreateClient();
        var first = await client.UploadCsvAsync(TestData.BlobsCsv(200, 2, 2, seed: 1), "first.csv");
        var second = await client.UploadCsvAsync(TestData.BlobsCsv(200, 2, 2, seed: 2), "second.csv");
        var third = await client.UploadCsvAsync(TestData.BlobsCsv(200, 2, 2, seed: 3), "third.csv");
        var cache = factory.Services.GetRequiredService<DatasetCache>();

        await AssertOkAsync(await client.GetAsync($"/api/datasets/{first.Id}/preview"));
        await AssertOkAsync(await client.GetAsync($"/api/datasets/{second.Id}/preview"));
        await AssertOkAsync(await client.GetAsync($"/api/datasets/{first.Id}/preview")); // first is now the more recently used
        await AssertOkAsync(await client.GetAsync($"/api/datasets/{third.Id}/preview"));

        Assert.True(cache.Holds(first.Id));
        Assert.False(cache.Holds(second.Id));
        Assert.True(cache.Holds(third.Id));
        Assert.Equal(8_000, cache.Bytes);
        Assert.Equal(1, cache.Evictions);
    }

    [Fact]
    public void A_cancelled_decision_boundary_stops_instead_of_scanning_the_data()
    {
        var data = SyntheticDatasets.Create("moons", 1000, seed: 1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => DecisionBoundaryPlot.Draw(null, data, epoch: 0, resolution: 10, cancelled.Token));
        Assert.Equal(10, DecisionBoundaryPlot.Draw(null, data, epoch: 0, resolution: 10, CancellationToken.None).Xs.Count);
    }

    [Fact]
    public async Task While_every_dataset_read_slot_and_queue_place_is_taken_the_read_endpoints_answer_503_with_Retry_After()
    {
        await using var factory = _database.CreateFactory(new Dictionary<string, string?>
        {
            ["Limits:DatasetReadConcurrency"] = "1",
            ["Limits:DatasetReadQueue"] = "0",
        });
        var client = factory.CreateClient();
        var dataset = await client.UploadCsvAsync(TestData.BlobsCsv(40, 2, 2, seed: 1), "two.csv");
        var job = await client.WaitUntilFinishedAsync((await client.SubmitJobAsync(TwoClassJob(dataset.Id))).Id, TimeSpan.FromSeconds(60));
        var limiter = factory.Services.GetRequiredService<DatasetReadLimiter>();

        using (var taken = await limiter.AcquireAsync(CancellationToken.None))
        {
            Assert.True(taken.IsAcquired);
            HttpResponseMessage[] refused =
            [
                await client.GetAsync($"/api/datasets/{dataset.Id}/preview"),
                await client.GetAsync($"/api/jobs/{job.Id}/decision-boundary"),
                await client.PostAsJsonAsync($"/api/models/{job.ModelId}/evaluate", new EvaluateRequest(dataset.Id)),
            ];
            foreach (var response in refused)
            {
                string body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {body}");
                Assert.Equal(TimeSpan.FromSeconds(DatasetReadLimiter.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                using var problem = JsonDocument.Parse(body);
                Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
                Assert.Contains("Limits:DatasetReadConcurrency", problem.RootElement.GetProperty("detail").GetString());
            }
        }

        // The slot is free again: the same reads succeed.
        await AssertOkAsync(await client.GetAsync($"/api/datasets/{dataset.Id}/preview"));
        Assert.Equal(1, limiter.AvailablePermits);
    }

    private static SubmitJobRequest TwoClassJob(string datasetId) => new()
    {
        DatasetId = datasetId,
        Layers = [new LayerDefinition(4, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
        Cost = Cost.CrossEntropy,
        Epochs = 1,
    };

    private static async Task AssertOkAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
    }
}
