using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Engine.Data;

namespace BackpropService.Api.Tests;

public sealed class EndToEndTests
{
    [Fact]
    public async Task An_uploaded_Mnist_subset_trains_to_a_model_that_predicts_by_name_and_evaluates_above_90_percent()
    {
        var folder = TestData.MnistFolder();
        Assert.True(Directory.Exists(folder), $"the MNIST subset is missing: {folder} (set MNIST_DIR)");
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        var train = await UploadIdxAsync(client, folder, "train", "mnist-train");
        var test = await UploadIdxAsync(client, folder, "t10k", "mnist-test", fallbackPrefix: "test");
        Assert.Equal((784, 10), (train.Features, train.Outputs));
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), train.Classes!);

        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "digits",
            DatasetId = train.Id,
            Layers = [new LayerDefinition(100, Activation.Sigmoid), new LayerDefinition(10, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Optimizer = Optimizer.Adam,
            LearningRate = 0.002,
            BatchSize = 32,
            Epochs = 8,
            ValidationSplit = 0.1,
            Seed = 7,
        });
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromMinutes(4));
        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error}");
        Assert.NotNull(done.ModelId);

        // Predict a few test digits by the model's name, as another service would.
        var testSet = ReadIdx(folder, "t10k", "test");
        const int count = 20;
        var inputs = Enumerable.Range(0, count).Select(i => testSet.Input(i).ToArray()).ToList();
        var prediction = await client.PostAsync<PredictResponse>("/predict", new PredictRequest("digits", inputs));
        Assert.Equal(done.ModelId, prediction.ModelId);
        Assert.Equal(count, prediction.Predictions.Count);
        int correct = Enumerable.Range(0, count).Count(i => prediction.Predictions[i].Class == testSet.Labels![i]);
        Assert.True(correct >= 17, $"only {correct} of {count} test digits right");
        Assert.All(prediction.Predictions, p => Assert.Equal(p.Class!.Value.ToString(), p.Label));

        var report = await client.PostAsync<EvaluationReport>($"/api/models/{done.ModelId}/evaluate", new EvaluateRequest(test.Id));
        Assert.Equal(testSet.Samples, report.Samples);
        Assert.True(report.Accuracy >= 0.90, $"test accuracy {report.Accuracy:P1}");
        Assert.Equal(10, report.ConfusionMatrix!.Count);
        Assert.Equal(10, report.PerClass!.Count);
    }

    [Fact]
    public async Task An_uploaded_Csv_dataset_trains_predicts_named_classes_and_evaluates()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        var dataset = await client.UploadCsvAsync(TestData.BlobsCsv(600, 4, 3, seed: 1), "colors.csv");
        Assert.Equal(LearningTask.Classification, dataset.Task);
        Assert.Equal((600, 4, 3), (dataset.Samples, dataset.Features, dataset.Outputs));
        Assert.Equal(["blue", "green", "red"], dataset.Classes!.Order().ToArray());

        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "colors",
            DatasetId = dataset.Id,
            Layers = [new LayerDefinition(16, Activation.Tanh), new LayerDefinition(3, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Optimizer = Optimizer.Adam,
            LearningRate = 0.01,
            Epochs = 30,
            Normalize = Normalization.Standard,
        });
        Assert.Equal(JobStatus.Queued, job.Status);
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromMinutes(1));
        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error}");
        Assert.Equal(30, done.Epoch);
        Assert.NotNull(done.Latest);

        var metrics = await client.GetAsync<List<EpochMetrics>>($"/api/jobs/{job.Id}/metrics");
        Assert.Equal(Enumerable.Range(1, 30), metrics.Select(m => m.Epoch));

        var model = await client.GetAsync<ModelInfo>($"/api/models/{done.ModelId}");
        Assert.Equal(("colors", 1, job.Id), (model.Name, model.Version, model.JobId));
        Assert.Equal(dataset.Classes, model.Classes);

        var report = await client.PostAsync<EvaluationReport>($"/api/models/{model.Id}/evaluate", new EvaluateRequest(dataset.Id));
        Assert.True(report.Accuracy >= 0.9, $"accuracy {report.Accuracy:P1}");

        // A second job with the same name makes version 2, and the name now means version 2.
        var again = await client.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "colors",
            DatasetId = dataset.Id,
            Layers = [new LayerDefinition(3, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Epochs = 2,
        });
        var second = await client.WaitUntilFinishedAsync(again.Id, TimeSpan.FromMinutes(1));
        var byName = await client.PostAsync<PredictResponse>("/predict", new PredictRequest("colors", [[0f, 0f, 0f, 0f]]));
        Assert.Equal(second.ModelId, byName.ModelId);
        Assert.Contains(byName.Predictions[0].Label, dataset.Classes!);

        // The model file round-trips through download and import.
        var file = await client.GetByteArrayAsync($"/api/models/{model.Id}/download");
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var imported = await client.PostAsync("/api/models?name=copy", content);
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var copy = JsonSerializer.Deserialize<ModelInfo>(await imported.Content.ReadAsStringAsync(), ApiClient.Json)!;
        var original = await client.PostAsync<PredictResponse>($"/api/models/{model.Id}/predict", new PredictRequest(null, [[1f, 2f, 3f, 4f]]));
        var copied = await client.PostAsync<PredictResponse>("/predict", new PredictRequest("copy", [[1f, 2f, 3f, 4f]]));
        Assert.Equal(original.Predictions[0].Outputs, copied.Predictions[0].Outputs);
        Assert.Equal(copy.Id, copied.ModelId);
    }

    [Fact]
    public async Task Health_swagger_and_built_in_datasets_answer_on_a_fresh_database()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var datasets = await client.GetAsync<List<DatasetInfo>>("/api/datasets");
        Assert.Equal(["xor", "circles", "moons", "spirals", "blobs", "sine"], datasets.Select(d => d.Id).ToArray());
        Assert.Equal(LearningTask.Regression, datasets.Single(d => d.Id == "sine").Task);

        using var swagger = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = swagger.RootElement.GetProperty("paths");
        var examples = paths.GetProperty("/api/jobs").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("examples");
        Assert.True(examples.TryGetProperty("xor", out _));
        Assert.True(examples.TryGetProperty("spirals", out _));
        Assert.True(examples.TryGetProperty("mnist", out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);

        // The Swagger examples are bodies that work: the xor one trains.
        var xor = examples.GetProperty("xor").GetProperty("value").GetRawText();
        var response = await client.PostAsync("/api/jobs", new StringContent(xor, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = JsonSerializer.Deserialize<Job>(await response.Content.ReadAsStringAsync(), ApiClient.Json)!;
        Assert.Equal($"/api/jobs/{job.Id}", response.Headers.Location?.ToString());
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromMinutes(1));
        Assert.Equal(JobStatus.Succeeded, done.Status);
        var predict = paths.GetProperty("/predict").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("examples").GetProperty("xor").GetProperty("value").GetRawText();
        var predicted = await client.PostAsync("/predict", new StringContent(predict, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, predicted.StatusCode);
    }

    private static async Task<DatasetInfo> UploadIdxAsync(HttpClient client, string folder, string prefix, string name, string? fallbackPrefix = null)
    {
        var (images, labels) = IdxFiles(folder, prefix, fallbackPrefix);
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(images)), "images", Path.GetFileName(images));
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(labels)), "labels", Path.GetFileName(labels));
        form.Add(new StringContent(name), "name");
        var response = await client.PostAsync("/api/datasets", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonSerializer.Deserialize<DatasetInfo>(body, ApiClient.Json)!;
    }

    private static Dataset ReadIdx(string folder, string prefix, string fallbackPrefix)
    {
        var (images, labels) = IdxFiles(folder, prefix, fallbackPrefix);
        using var imageStream = File.OpenRead(images);
        using var labelStream = File.OpenRead(labels);
        return IdxReader.Read("test", imageStream, labelStream);
    }

    private static (string Images, string Labels) IdxFiles(string folder, string prefix, string? fallbackPrefix)
    {
        foreach (var p in new[] { prefix, fallbackPrefix })
        {
            if (p is null) continue;
            var images = Path.Combine(folder, $"{p}-images-idx3-ubyte.gz");
            var labels = Path.Combine(folder, $"{p}-labels-idx1-ubyte.gz");
            if (File.Exists(images) && File.Exists(labels)) return (images, labels);
        }
        Assert.Fail($"no {prefix} IDX files in {folder}");
        return default;
    }
}
