using System.Text.Json;
using BackpropService.Api.OpenApi;
using BackpropService.Contracts;

namespace BackpropService.Api.Sweeps;

/// <summary>The example bodies Swagger UI offers for <c>POST /api/sweeps</c>, on the spirals preset.</summary>
public static class SweepExamples
{
    public static RequestExample[] All { get; } =
    [
        new("grid", "Grid: every combination of 3 learning rates and 2 hidden sizes (6 jobs)", new SubmitSweepRequest
        {
            Name = "spirals grid",
            Base = JobPresets.Spirals.Request with { Name = null, Epochs = 100 },
            Grid = new Dictionary<string, IReadOnlyList<JsonElement>?>
            {
                ["learningRate"] = [Number(0.003), Number(0.01), Number(0.03)],
                ["layers[0].size"] = [Number(16), Number(32)],
            },
            Metric = SweepMetric.ValidationLoss,
        }),
        new("random", "Random: 12 draws of a log-uniform learning rate and a batch size", new SubmitSweepRequest
        {
            Name = "spirals random",
            Base = JobPresets.Spirals.Request with { Name = null, Epochs = 100 },
            Random = new Dictionary<string, SweepDistribution?>
            {
                ["learningRate"] = new() { LogUniform = [0.001, 0.1] },
                ["batchSize"] = new() { Values = [Number(8), Number(16), Number(32)] },
            },
            Trials = 12,
            Seed = 1,
            Metric = SweepMetric.ValidationAccuracy,
        }),
    ];

    private static JsonElement Number(double value) => JsonSerializer.SerializeToElement(value);
}
