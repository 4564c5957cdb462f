using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

/// <summary>A job that takes a few seconds: enough epochs to stop it in the middle.</summary>
internal static class LongJobs
{
    public static async Task<DatasetInfo> UploadAsync(HttpClient client) =>
        await client.UploadCsvAsync(TestData.BlobsCsv(3000, 16, 3, seed: 3, spread: 1.5), "long.csv");

    public static SubmitJobRequest Request(string datasetId, int epochs, string name = "long") => new()
    {
        Name = name,
        DatasetId = datasetId,
        Layers = [new LayerDefinition(96, Activation.Tanh), new LayerDefinition(96, Activation.Tanh), new LayerDefinition(3, Activation.Softmax)],
        Cost = Cost.CrossEntropy,
        Optimizer = Optimizer.Adam,
        LearningRate = 0.001,
        BatchSize = 4,
        Epochs = epochs,
        ValidationSplit = 0.1,
    };
}
