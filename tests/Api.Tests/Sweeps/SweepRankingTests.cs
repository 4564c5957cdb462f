using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>A sweep ranks its jobs by the best stored value of its metric: lowest loss, highest accuracy.</summary>
public sealed class SweepRankingTests
{
    [Theory]
    [InlineData("validationLoss")]
    [InlineData("validationAccuracy")]
    [InlineData("trainLoss")]
    public async Task The_jobs_are_ranked_by_the_best_value_of_the_metric_in_their_stored_epochs(string metric)
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        // Learning rates from too small to learn much in 15 epochs to enough: different curves, different bests.
        var sweep = await client.SubmitSweepAsync($$"""
            { "name": "rank", "base": {{SweepRequests.XorBase(epochs: 15)}}, "metric": "{{metric}}",
              "grid": { "learningRate": [0.0005, 0.005, 0.05], "seed": [1, 2] } }
            """);
        sweep = await client.WaitUntilSweepFinishedAsync(sweep.Id, TimeSpan.FromMinutes(2));
        Assert.Equal(SweepStatus.Succeeded, sweep.Status);

        // The best of each job's stored epochs, read through the jobs' own metrics.
        var best = new Dictionary<string, double>();
        foreach (var job in sweep.Jobs)
        {
            var epochs = await client.GetAsync<List<EpochMetrics>>($"api/jobs/{job.JobId}/metrics");
            best[job.JobId] = metric switch
            {
                "validationLoss" => epochs.Min(m => m.ValidationLoss!.Value),
                "validationAccuracy" => epochs.Max(m => m.ValidationAccuracy!.Value),
                _ => epochs.Min(m => m.TrainLoss),
            };
        }
        var expected = metric == "validationAccuracy"
            ? sweep.Jobs.OrderByDescending(j => best[j.JobId]).ThenBy(j => j.Point)
            : sweep.Jobs.OrderBy(j => best[j.JobId]).ThenBy(j => j.Point);
        Assert.Equal(expected.Select(j => j.JobId), sweep.Jobs.Select(j => j.JobId));
        Assert.Equal(Enumerable.Range(1, 6).Cast<int?>(), sweep.Jobs.Select(j => j.Rank));
        Assert.All(sweep.Jobs, j => Assert.Equal(best[j.JobId], j.Best));
        // The values differ, or the order above would say little.
        Assert.True(best.Values.Distinct().Count() >= 3, string.Join(", ", best.Values));
    }
}
