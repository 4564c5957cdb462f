using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

/// <summary><c>GET /api/models/{id}/explain-request</c>: a trained model and one of its samples, ready for <c>POST /api/explain</c>.</summary>
public sealed class ExplainTests
{
    [Fact]
    public async Task A_trained_models_explain_request_runs_the_model_on_its_normalized_sample_as_predict_does_with_the_samples_target()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var dataset = await client.UploadCsvAsync(TestData.BlobsCsv(40, 3, 2, seed: 1, spread: 2), "three.csv");
        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            DatasetId = dataset.Id,
            Layers = [new LayerDefinition(4, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            LearningRate = 0.3,
            Normalize = Normalization.Standard,
            Epochs = 3,
        });
        job = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, job.Status);
        const int sample = 5;

        var request = await client.GetAsync<ExplainRequest>($"/api/models/{job.ModelId}/explain-request?sample={sample}");
        var explained = await client.PostAsync<ExplainResponse>("/api/explain", request);

        Assert.Equal([4, 2], request.Layers!.Select(l => l!.Biases!.Length));
        Assert.Equal([3, 4], request.Layers!.Select(l => l!.Weights![0].Length));
        Assert.Equal([Activation.Tanh, Activation.Softmax], request.Layers!.Select(l => l!.Activation!.Value));
        Assert.Equal(Cost.CrossEntropy, request.Cost);
        Assert.Equal(0.3, request.LearningRate);
        // The raw sample, through /predict (which normalizes it), gives the outputs the step-through's forward pass gives.
        var preview = await client.GetAsync<DatasetPreview>($"/api/datasets/{dataset.Id}/preview?samples={sample + 1}");
        Assert.NotEqual(preview.Samples[sample].Select(v => (double)v), request.Input!);
        var predicted = await client.PostAsync<PredictResponse>($"/api/models/{job.ModelId}/predict", new PredictRequest(null, [preview.Samples[sample]]));
        Assert.Equal(predicted.Predictions[0].Outputs.Count, explained.Output.Length);
        for (int j = 0; j < explained.Output.Length; j++) Assert.Equal(predicted.Predictions[0].Outputs[j], explained.Output[j], 1e-5);
        // The target is the sample's class, one-hot.
        int label = dataset.Classes!.ToList().IndexOf(preview.Labels[sample]);
        Assert.Equal(Enumerable.Range(0, 2).Select(j => j == label ? 1.0 : 0.0), request.Target!);
    }

    [Fact]
    public async Task A_sample_outside_the_dataset_or_an_imported_model_without_a_dataset_gets_400_naming_why()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var job = await client.WaitUntilFinishedAsync((await client.SubmitJobAsync(XorJobs.Request("xor", epochs: 1))).Id, TimeSpan.FromSeconds(60));
        var xor = await client.GetAsync<DatasetInfo>("/api/datasets/xor");

        var outside = await client.GetAsync($"/api/models/{job.ModelId}/explain-request?sample={xor.Samples}");
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Equal($"Choose a sample from 0 to {xor.Samples - 1}; got {xor.Samples}.", Error(await outside.Content.ReadAsStringAsync(), "sample"));

        using var file = new ByteArrayContent(await client.GetByteArrayAsync($"/api/models/{job.ModelId}/download"));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var imported = JsonSerializer.Deserialize<ModelInfo>(await (await client.PostAsync("/api/models?name=copy", file)).Content.ReadAsStringAsync(), ApiClient.Json)!;
        var withoutDataset = await client.GetAsync($"/api/models/{imported.Id}/explain-request");
        Assert.Equal(HttpStatusCode.BadRequest, withoutDataset.StatusCode);
        Assert.Contains("imported", Error(await withoutDataset.Content.ReadAsStringAsync(), "id"));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/models/nope/explain-request")).StatusCode);
    }

    private static string Error(string problem, string field)
    {
        using var document = JsonDocument.Parse(problem);
        return document.RootElement.GetProperty("errors").GetProperty(field)[0].GetString()!;
    }
}
