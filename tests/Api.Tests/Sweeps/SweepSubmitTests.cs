using System.Globalization;
using System.Net;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>A sweep queues one ordinary job per point: every combination of a grid, or seeded random draws.</summary>
public sealed class SweepSubmitTests
{
    [Fact]
    public async Task A_grid_sweep_queues_one_job_per_combination_named_for_its_point_with_the_values_in_its_options()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        var sweep = await client.SubmitSweepAsync($$"""
            { "name": "grid", "base": {{SweepRequests.XorBase(epochs: 2)}}, "metric": "trainLoss",
              "grid": { "learningRate": [0.01, 0.1], "layers[0].size": [2, 4, 8], "optimizer": ["sgd"] } }
            """);

        Assert.Equal(SweepKind.Grid, sweep.Kind);
        Assert.Equal(SweepMetric.TrainLoss, sweep.Metric);
        Assert.Equal(new[] { "learningRate", "layers[0].size", "optimizer" }, sweep.Settings);
        Assert.Equal(6, sweep.Jobs.Count);
        // The first setting varies slowest.
        (double Rate, int Size)[] expected = [(0.01, 2), (0.01, 4), (0.01, 8), (0.1, 2), (0.1, 4), (0.1, 8)];
        foreach (var (point, (rate, size)) in sweep.Jobs.OrderBy(j => j.Point).Zip(expected))
        {
            Assert.Equal($"grid #{point.Point} (learningRate={rate.ToString(CultureInfo.InvariantCulture)}, layers[0].size={size}, optimizer=sgd)", point.Name);
            Assert.Equal(rate, point.Values["learningRate"].GetDouble());
            Assert.Equal(size, point.Values["layers[0].size"].GetInt32());
            Assert.Equal("sgd", point.Values["optimizer"].GetString());

            var job = await client.GetAsync<Job>($"api/jobs/{point.JobId}");
            Assert.Equal(sweep.Id, job.SweepId);
            Assert.Equal(point.Name, job.Name);
            Assert.Equal(rate, job.Options.LearningRate);
            Assert.Equal(size, job.Options.Layers[0].Size);
            Assert.Equal(Optimizer.Sgd, job.Options.Optimizer);
            // Everything not swept is the base request's.
            Assert.Equal(Activation.Tanh, job.Options.Layers[0].Activation);
            Assert.Equal(2, job.Options.Epochs);
        }
        var finished = await client.WaitUntilSweepFinishedAsync(sweep.Id, TimeSpan.FromMinutes(1));
        Assert.Equal(SweepStatus.Succeeded, finished.Status);
        Assert.Contains(await client.GetAsync<List<Sweep>>("api/sweeps"), s => s.Id == sweep.Id && s.Jobs.Count == 6);
    }

    [Fact]
    public async Task Random_draws_are_the_same_for_the_same_seed_lie_in_their_ranges_and_a_log_uniform_one_covers_each_decade_alike()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Limits:MaxQueuedJobsPerKey"] = "1000" });
        var client = factory.CreateClient();
        string Request(ulong seed) => $$"""
            { "name": "random", "base": {{SweepRequests.XorBase(epochs: 1)}}, "trials": 60, "seed": {{seed}},
              "random": { "learningRate": { "logUniform": [0.0001, 1] }, "momentum": { "uniform": [0.5, 0.9] },
                          "layers[0].size": { "uniform": [2, 9] }, "batchSize": { "values": [4, 8] } } }
            """;

        var first = await client.SubmitSweepAsync(Request(seed: 7));
        var again = await client.SubmitSweepAsync(Request(seed: 7));
        var other = await client.SubmitSweepAsync(Request(seed: 8));
        foreach (var sweep in new[] { first, again, other }) await client.PostAsync($"api/sweeps/{sweep.Id}/cancel", null);

        static List<string> Drawn(Sweep sweep) =>
            [.. sweep.Jobs.OrderBy(j => j.Point).Select(j => string.Join(" ", j.Values.OrderBy(v => v.Key).Select(v => $"{v.Key}={v.Value}")))];
        Assert.Equal(SweepKind.Random, first.Kind);
        Assert.Equal(60, first.Jobs.Count);
        Assert.Equal(Drawn(first), Drawn(again));
        Assert.NotEqual(Drawn(first), Drawn(other));

        var points = first.Jobs.Select(j => j.Values).ToList();
        Assert.All(points, p => Assert.InRange(p["momentum"].GetDouble(), 0.5, 0.9));
        // A whole-number setting gets whole numbers in its range, and every one of them is drawn.
        Assert.Equal(new[] { 2, 3, 4, 5, 6, 7, 8, 9 }, points.Select(p => p["layers[0].size"].GetInt32()).Distinct().Order());
        Assert.Equal(new[] { 4, 8 }, points.Select(p => p["batchSize"].GetInt32()).Distinct().Order());
        // Uniform in log space: about 15 of the 60 draws in each of the 4 decades (a uniform draw would put ~0.6 below 0.01).
        var decades = points.Select(p => p["learningRate"].GetDouble())
            .Select(rate => { Assert.InRange(rate, 0.0001, 1); return (int)Math.Floor(Math.Log10(rate)); })
            .CountBy(decade => decade).ToDictionary();
        Assert.All(new[] { -4, -3, -2, -1 }, decade => Assert.InRange(decades.GetValueOrDefault(decade), 7, 25));
        Assert.Equal(new[] { 0.0001, 1.0 }, first.Distributions!["learningRate"].LogUniform!);
    }

    [Fact]
    public async Task Sweeps_are_listed_newest_first_a_page_at_a_time()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
            ids.Add((await client.SubmitSweepAsync($$"""{ "name": "s{{i}}", "base": {{SweepRequests.XorBase(epochs: 1)}}, "grid": { "seed": [1, 2] } }""")).Id);

        var first = await client.GetAsync("api/sweeps?limit=2");
        var page = JsonSerializer.Deserialize<List<Sweep>>(await first.Content.ReadAsStringAsync(), ApiClient.Json)!;
        string cursor = first.Headers.GetValues(ListPaging.NextCursorHeader).Single();
        var rest = await client.GetAsync<List<Sweep>>($"api/sweeps?limit=2&after={Uri.EscapeDataString(cursor)}");

        Assert.Equal(new[] { ids[2], ids[1], ids[0] }, page.Concat(rest).Select(s => s.Id));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("api/sweeps?after=nowhere")).StatusCode);
    }
}
