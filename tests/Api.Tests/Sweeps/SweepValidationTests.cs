using System.Net;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>
/// Every point's job is checked as POST /api/jobs checks one, and a failure names the path in the sweep request to fix:
/// the swept value (<c>grid.learningRate[2]</c>), the distribution, or the base request's field. Nothing is queued.
/// </summary>
public sealed class SweepValidationTests(SharedService service) : IClassFixture<SharedService>
{
    private static readonly string Xor = SweepRequests.XorBase(epochs: 1);

    public static TheoryData<string, string, string> BadSweeps => new()
    {
        // A value the job validator refuses (the engine's rule), reported on the value.
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "learningRate": [0.1, 1, -1] } }""", "grid.learningRate[2]", "learning rate must be greater than 0" },
        // A value the job request cannot even hold.
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "optimizer": ["adam", "bogus"] } }""", "grid.optimizer[1]", "use one of: sgd" },
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "batchSize": [8, 2.5] } }""", "grid.batchSize[1]", "whole number" },
        // The output layer must match the dataset: the message comes from the same rule as for a job.
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "layers[1].size": [2, 3] } }""", "grid.layers[1].size[1]", "must have 2 neurons" },
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "layers": [[{ "size": 4, "activation": "tanh" }, { "size": 2, "activation": "softmax" }], [{ "size": 0, "activation": "tanh" }, { "size": 2, "activation": "softmax" }]] } }""", "grid.layers[1]", "layers[0].size" },
        // Paths that name nothing, or what a sweep does not vary.
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "learnRate": [0.1] } }""", "grid.learnRate", "There is no setting 'learnRate'" },
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "layers[5].size": [4] } }""", "grid.layers[5].size[0]", "base.layers has 2 items" },
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "layers[0].width": [4] } }""", "grid.layers[0].width", "has no field 'width'" },
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "datasetId": ["circles"] } }""", "grid.datasetId", "does not vary 'datasetId'" },
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "learningRate": [] } }""", "grid.learningRate", "at least one value" },
        // Random distributions.
        { $$"""{ "name": "s", "base": {{Xor}}, "trials": 3, "random": { "learningRate": { "logUniform": [0, 1] } } }""", "random.learningRate.logUniform", "above 0" },
        { $$"""{ "name": "s", "base": {{Xor}}, "trials": 3, "random": { "learningRate": { "uniform": [1, 0.1] } } }""", "random.learningRate.uniform", "low ≤ high" },
        { $$"""{ "name": "s", "base": {{Xor}}, "trials": 20, "random": { "learningRate": { "uniform": [0.1, 2000] } } }""", "random.learningRate.uniform", "at most 1000" },
        { $$"""{ "name": "s", "base": {{Xor}}, "trials": 3, "random": { "optimizer": { "uniform": [0, 1] } } }""", "random.optimizer.uniform", "not a number" },
        { $$"""{ "name": "s", "base": {{Xor}}, "trials": 3, "random": { "learningRate": { "values": [0.1], "uniform": [0, 1] } } }""", "random.learningRate", "exactly one of" },
        { $$"""{ "name": "s", "base": {{Xor}}, "trials": 3, "random": { "optimizer": { "values": ["adam", "nope"] } } }""", "random.optimizer.values[1]", "use one of" },
        { $$"""{ "name": "s", "base": {{Xor}}, "random": { "learningRate": { "uniform": [0.1, 1] } } }""", "trials", "Required" },
        // The sweep's own fields.
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "seed": [1] }, "random": { "seed": { "values": [1] } }, "trials": 1 }""", "random", "not both" },
        { $$"""{ "name": "s", "base": {{Xor}} }""", "grid", "Required" },
        { $$"""{ "base": {{Xor}}, "grid": { "seed": [1] } }""", "name", "Required" },
        { $$"""{ "name": "a@b", "base": {{Xor}}, "grid": { "seed": [1] } }""", "name", "@" },
        { """{ "name": "s", "grid": { "seed": [1] } }""", "base", "Required" },
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "seed": [1] }, "trials": 4 }""", "trials", "random sweeps" },
        // The base request's own faults, on its fields.
        { """{ "name": "s", "base": { "datasetId": "xor", "layers": [{ "size": 2, "activation": "softmax" }] }, "grid": { "seed": [1, 2] } }""", "base.epochs", "Required" },
        { """{ "name": "s", "base": { "datasetId": "nope", "layers": [{ "size": 2, "activation": "softmax" }], "epochs": 1 }, "grid": { "seed": [1] } }""", "base.datasetId", "no dataset with id 'nope'" },
        { """{ "name": "s", "base": { "datasetId": "xor", "layers": [{ "size": 2, "activation": "nope" }], "epochs": 1 }, "grid": { "seed": [1] } }""", "base.layers[0].activation", "use one of" },
        // The metric must exist for the jobs.
        { """{ "name": "s", "base": { "datasetId": "sine", "layers": [{ "size": 1, "activation": "identity" }], "epochs": 1 }, "grid": { "seed": [1] }, "metric": "validationAccuracy" }""", "metric", "regression" },
        { $$"""{ "name": "s", "base": {{Xor}}, "grid": { "validationSplit": [0, 0.2] } }""", "metric", "validationSplit 0" },
    };

    [Theory]
    [MemberData(nameof(BadSweeps))]
    public async Task A_bad_sweep_gets_400_naming_the_path_to_fix_and_queues_nothing(string body, string path, string reason)
    {
        var client = service.Client;

        var response = await client.PostSweepAsync(body);

        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = await SweepRequests.ErrorsAsync(response);
        Assert.True(errors.TryGetValue(path, out var messages), $"no error on {path}: {text}");
        Assert.Contains(messages, m => m.Contains(reason, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(await client.GetAsync<List<Sweep>>("api/sweeps"));
        Assert.Empty(await client.GetAsync<List<Job>>("api/jobs"));
    }
}
