using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>A sweep varies a conv layer's fields by the same paths as a dense layer's.</summary>
public sealed class ConvSweepTests
{
    [Fact]
    public async Task A_grid_over_a_conv_layers_filters_and_a_dropout_rate_queues_a_job_per_point_with_those_values()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        DatasetInfo images = await ConvLayerValidationTests.UploadImagesAsync(client, side: 8);

        var sweep = await client.SubmitSweepAsync($$"""
            { "name": "filters", "metric": "trainLoss",
              "base": { "datasetId": "{{images.Id}}", "epochs": 1, "cost": "crossEntropy", "validationSplit": 0,
                        "layers": [ { "type": "conv2d", "filters": 2, "kernel": 3 }, { "type": "dropout", "rate": 0.1 },
                                    { "size": 2, "activation": "softmax" } ] },
              "grid": { "layers[0].filters": [2, 4], "layers[1].rate": [0.2, 0.5] } }
            """);

        Assert.Equal(4, sweep.Jobs.Count);
        var seen = new List<(int, double)>();
        foreach (var point in sweep.Jobs)
        {
            var job = await client.GetAsync<Job>($"api/jobs/{point.JobId}");
            Assert.Equal(point.Values["layers[0].filters"].GetInt32(), job.Options.Layers[0].Filters);
            Assert.Equal(point.Values["layers[1].rate"].GetDouble(), job.Options.Layers[1].Rate);
            Assert.Equal(LayerType.Conv2d, job.Options.Layers[0].Type);
            seen.Add((job.Options.Layers[0].Filters!.Value, job.Options.Layers[1].Rate!.Value));
        }
        Assert.Equal([(2, 0.2), (2, 0.5), (4, 0.2), (4, 0.5)], seen.Order());
    }
}
