using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Twenty_jobs_submitted_at_once_all_finish_with_uniquely_versioned_models()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Training:Concurrency"] = "4" });
        var client = factory.CreateClient();

        var submitted = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "concurrent",
            DatasetId = i % 2 == 0 ? "xor" : "moons",
            Layers = [new LayerDefinition(6, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Optimizer = Optimizer.Adam,
            LearningRate = 0.02,
            Epochs = 15,
            Seed = (ulong)i,
        })));
        Assert.Equal(20, submitted.Select(j => j.Id).Distinct().Count());

        var finished = await Task.WhenAll(submitted.Select(j => client.WaitUntilFinishedAsync(j.Id, TimeSpan.FromMinutes(2))));
        Assert.All(finished, j => Assert.True(j.Status == JobStatus.Succeeded, $"{j.Id}: {j.Status} {j.Error}"));

        var models = await client.GetAsync<List<ModelInfo>>("/api/models");
        Assert.Equal(Enumerable.Range(1, 20), models.Where(m => m.Name == "concurrent").Select(m => m.Version).Order());
        foreach (var job in finished)
        {
            var metrics = await client.GetAsync<List<EpochMetrics>>($"/api/jobs/{job.Id}/metrics");
            Assert.Equal(Enumerable.Range(1, 15), metrics.Select(m => m.Epoch));
        }
    }
}
