using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Api.Tests.Access;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.ML.OnnxRuntime;

namespace BackpropService.Api.Tests.Models;

/// <summary>
/// <c>GET /api/models/{id}/download?format=onnx</c>: an ONNX model that ONNX Runtime runs to the outputs <c>/predict</c>
/// gives on the same raw rows; the service's own file stays the default; a bad format, an unknown model and a key
/// without the train scope are refused.
/// </summary>
public sealed class OnnxDownloadTests : IDisposable
{
    private const int Features = 3, Classes = 3, Rows = 300;

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData(Normalization.Standard, Activation.LeakyRelu)]
    [InlineData(Normalization.MinMax, Activation.Sigmoid)]
    [InlineData(Normalization.None, Activation.Relu)]
    public async Task Onnx_runtime_runs_the_downloaded_model_to_the_outputs_predict_gives(Normalization normalization, Activation hidden)
    {
        await using var factory = _database.CreateFactory();
        using var client = factory.CreateClient();
        ModelInfo model = await TrainAsync(client, "onnx-blobs", normalization, hidden);

        var response = await client.GetAsync($"/api/models/{model.Id}/download?format=onnx");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/onnx", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("onnx-blobs-v1.onnx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        byte[] onnx = await response.Content.ReadAsByteArrayAsync();

        float[][] rows = RandomRows(new Random(11), Rows);
        var predicted = await client.PostAsync<PredictResponse>($"/api/models/{model.Id}/predict", new PredictRequest(null, rows));
        float[] fromOnnx = Run(onnx, rows);
        for (int row = 0; row < Rows; row++)
        {
            var expected = predicted.Predictions[row].Outputs;
            for (int j = 0; j < Classes; j++)
            {
                float actual = fromOnnx[row * Classes + j];
                Assert.True(MathF.Abs(actual - expected[j]) <= 1e-5f, $"row {row}, output {j}: /predict {expected[j]}, ONNX Runtime {actual}.");
            }
        }

        using var session = new InferenceSession(onnx);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("onnx-blobs", metadata["name"]);
        Assert.Equal("1", metadata["version"]);
        Assert.Equal(WireName.Of(normalization), metadata["normalization"]);
        Assert.Equal(model.Classes, JsonSerializer.Deserialize<string[]>(metadata["classLabels"]));
    }

    [Fact]
    public async Task The_onnx_model_is_found_by_name_version_and_alias_and_the_own_format_stays_the_default()
    {
        await using var factory = _database.CreateFactory();
        using var client = factory.CreateClient();
        ModelInfo model = await TrainAsync(client, "onnx-named", Normalization.Standard, Activation.Tanh);
        var aliased = await client.PutAsJsonAsync("/api/models/onnx-named/aliases/prod", new SetAliasRequest(1), ApiClient.Json);
        Assert.True(aliased.IsSuccessStatusCode, await aliased.Content.ReadAsStringAsync());

        byte[] byId = await client.GetByteArrayAsync($"/api/models/{model.Id}/download?format=onnx");
        Assert.Equal(byId, await client.GetByteArrayAsync("/api/models/onnx-named/download?format=onnx"));
        Assert.Equal(byId, await client.GetByteArrayAsync("/api/models/onnx-named@1/download?format=ONNX"));
        Assert.Equal(byId, await client.GetByteArrayAsync("/api/models/onnx-named@prod/download?format=onnx"));

        var own = await client.GetAsync($"/api/models/{model.Id}/download");
        var named = await client.GetAsync($"/api/models/{model.Id}/download?format=bpmodel");
        Assert.Equal("application/octet-stream", own.Content.Headers.ContentType?.MediaType);
        Assert.Equal("onnx-named-v1.bpmodel", own.Content.Headers.ContentDisposition?.FileNameStar ?? own.Content.Headers.ContentDisposition?.FileName);
        byte[] ownFile = await own.Content.ReadAsByteArrayAsync();
        Assert.Equal(ownFile, await named.Content.ReadAsByteArrayAsync());
        Assert.Equal("BPSMODEL", System.Text.Encoding.ASCII.GetString(ownFile, 0, 8));
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("1")]
    [InlineData("onnx ")]
    public async Task An_unknown_format_is_a_400_naming_format_and_the_accepted_values(string format)
    {
        await using var factory = _database.CreateFactory();
        using var client = factory.CreateClient();
        ModelInfo model = await TrainAsync(client, "onnx-format", Normalization.None, Activation.Tanh);

        var response = await client.GetAsync($"/api/models/{model.Id}/download?format={Uri.EscapeDataString(format)}");

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        string message = problem.RootElement.GetProperty("errors").GetProperty("format")[0].GetString()!;
        Assert.Contains($"'{format}'", message);
        Assert.Contains("bpmodel, onnx", message);
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_in_either_format()
    {
        await using var factory = _database.CreateFactory();
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/models/nope/download?format=onnx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/models/nope/download")).StatusCode);
    }

    [Fact]
    public async Task A_predict_only_key_cannot_download_the_onnx_model_and_a_train_key_can()
    {
        await using var factory = _database.CreateFactory();
        using var admin = factory.CreateClient();
        ModelInfo model = await TrainAsync(admin, "onnx-access", Normalization.None, Activation.Tanh);
        var keys = new KeyClient(admin);
        using var predictOnly = factory.CreateClientWithKey((await keys.CreateAsync("predict-only", ApiKeyScope.Predict)).Key);
        using var trainer = factory.CreateClientWithKey((await keys.CreateAsync("trainer", ApiKeyScope.Train)).Key);

        var refused = await predictOnly.GetAsync($"/api/models/{model.Id}/download?format=onnx");
        var allowed = await trainer.GetAsync($"/api/models/{model.Id}/download?format=onnx");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("train", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task The_api_document_lists_the_formats_with_the_default()
    {
        await using var factory = _database.CreateFactory();
        using var client = factory.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));

        var operation = document.RootElement.GetProperty("paths").GetProperty("/api/models/{id}/download").GetProperty("get");
        var format = Assert.Single(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "format");
        Assert.Equal("query", format.GetProperty("in").GetString());
        Assert.Equal(["bpmodel", "onnx"], format.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("bpmodel", format.GetProperty("schema").GetProperty("default").GetString());
        Assert.True(operation.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/onnx", out _));
    }

    /// <summary>A classifier of three coloured blobs in three features: <paramref name="hidden"/> (8 neurons), then softmax.</summary>
    private static async Task<ModelInfo> TrainAsync(HttpClient client, string name, Normalization normalization, Activation hidden)
    {
        var dataset = await client.UploadCsvAsync(TestData.BlobsCsv(90, Features, Classes, seed: 4), $"{name}.csv");
        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            Name = name,
            DatasetId = dataset.Id,
            Layers = [new LayerDefinition(8, hidden), new LayerDefinition(Classes, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Normalize = normalization,
            Epochs = 5,
        });
        job = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(60));
        Assert.True(job.Status == JobStatus.Succeeded, job.Error);
        return await client.GetAsync<ModelInfo>($"/api/models/{job.ModelId}");
    }

    /// <summary>Raw rows over and beyond the blobs' range (their centres lie in [−3, 3]).</summary>
    private static float[][] RandomRows(Random random, int rows) =>
        [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, Features).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray())];

    private static float[] Run(byte[] onnx, float[][] rows)
    {
        using var session = new InferenceSession(onnx);
        float[] inputs = [.. rows.SelectMany(row => row)];
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs, [rows.Length, Features]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, ["input"], [input], ["output"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
