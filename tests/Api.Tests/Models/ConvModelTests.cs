using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BackpropService.Api.Models;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Predict;
using BackpropService.Contracts;
using BackpropService.Engine;
using BackpropService.Engine.Activations;
using BackpropService.Engine.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;
using Activation = BackpropService.Contracts.Activation;

namespace BackpropService.Api.Tests.Models;

/// <summary>
/// A convolutional model through the models API: imported, shown with its input shape and typed layers, predicting
/// (JSON and binary) what the engine predicts, evaluated, downloaded in both formats, counted by the cache in bytes, and
/// refused by the dense-only step-through.
/// </summary>
public sealed class ConvModelTests : IDisposable
{
    private static readonly TensorShape Image = new(1, 6, 6);
    private const int Features = 36, Rows = 40;
    private static readonly string[] ClassNames = ["east", "north", "south", "west"]; // as a CSV upload orders them

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task An_imported_conv_model_shows_its_input_shape_and_layers_and_predicts_what_the_engine_predicts()
    {
        await using var factory = _database.CreateFactory();
        using var client = factory.CreateClient();
        TrainedModel engine = ConvModel(new Random(3));

        ModelInfo imported = await client.ImportAsync(engine.ToBytes(), "conv-digits");

        Assert.Equal([1, 6, 6], imported.InputShape);
        Assert.Equal(Features, imported.Inputs);
        Assert.Equal(4, imported.Outputs);
        LayerShape[] expectedLayers =
        [
            new(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = 3, Kernel = 3, Stride = 1, Padding = 1 },
            new(2, null) { Type = LayerType.MaxPool },
            new(null, null) { Type = LayerType.Dropout, Rate = 0.5 },
            new(4, Activation.Softmax) { Type = LayerType.Dense },
        ];
        Assert.Equal(expectedLayers, imported.Layers);
        ModelInfo fetched = await client.GetAsync<ModelInfo>($"/api/models/{imported.Id}");
        Assert.Equal(imported.InputShape, fetched.InputShape);
        Assert.Equal(expectedLayers, fetched.Layers);
        // On the wire: inputShape as an array, each layer with its type and only its own fields.
        using (var json = JsonDocument.Parse(await client.GetStringAsync($"/api/models/{imported.Id}")))
        {
            Assert.Equal("[1,6,6]", json.RootElement.GetProperty("inputShape").GetRawText());
            var pool = json.RootElement.GetProperty("layers")[1];
            Assert.Equal("maxPool", pool.GetProperty("type").GetString());
            Assert.Equal(2, pool.GetProperty("size").GetInt32());
            Assert.False(pool.TryGetProperty("activation", out _));
            Assert.False(json.RootElement.GetProperty("layers")[0].TryGetProperty("size", out _));
        }

        float[][] rows = RandomRows(new Random(5), Rows);
        var json1 = await client.PredictJsonAsync("/predict", new PredictRequest("conv-digits", rows));
        var binary = await client.PredictBinaryAsync($"/api/models/{imported.Id}/predict", PredictClient.BinaryBody(null, rows));
        float[] expected = new float[4];
        for (int row = 0; row < Rows; row++)
        {
            engine.Predict(rows[row], expected);
            Assert.Equal(expected, json1.Predictions[row].Outputs);
            Assert.Equal(expected, binary.Outputs[row]);
            int best = Array.IndexOf(expected, expected.Max());
            Assert.Equal(ClassNames[best], json1.Predictions[row].Label);
            Assert.Equal(best, binary.Classes![row]);
        }

        // The cache holds it at its weights and biases plus the normalizer's offset and scale, 4 bytes each.
        var cache = factory.Services.GetRequiredService<ModelCache>();
        Assert.True(cache.Holds(imported.Id));
        Assert.Equal((engine.Network.ParameterCount + 2L * Features) * sizeof(float), cache.Bytes);
    }

    [Fact]
    public async Task A_conv_model_downloads_as_the_same_file_and_as_onnx_that_runs_to_the_predicted_outputs_and_reimports()
    {
        await using var factory = _database.CreateFactory();
        using var client = factory.CreateClient();
        TrainedModel engine = ConvModel(new Random(7));
        ModelInfo imported = await client.ImportAsync(engine.ToBytes(), "conv-download");

        byte[] own = await client.GetByteArrayAsync($"/api/models/{imported.Id}/download");
        TrainedModel downloaded = TrainedModel.FromBytes(own);
        Assert.Equal(engine.Shape.InputShape, downloaded.Shape.InputShape);
        Assert.Equal(engine.Layers, downloaded.Layers);
        Assert.Equal(engine.Network.Parameters, downloaded.Network.Parameters);
        ModelInfo again = await client.ImportAsync(own, "conv-download-copy");
        Assert.Equal(imported.Layers, again.Layers);
        Assert.Equal(imported.InputShape, again.InputShape);

        byte[] onnx = await client.GetByteArrayAsync($"/api/models/{imported.Id}/download?format=onnx");
        float[][] rows = RandomRows(new Random(9), Rows);
        var predicted = await client.PredictJsonAsync($"/api/models/{again.Id}/predict", new PredictRequest(null, rows));
        using var session = new InferenceSession(onnx);
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(rows.SelectMany(r => r).ToArray(), [Rows, Features]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["input"], [input], ["output"]);
        float[] fromOnnx = results[0].GetTensorDataAsSpan<float>().ToArray();
        for (int row = 0; row < Rows; row++)
            for (int j = 0; j < 4; j++)
                Assert.True(MathF.Abs(fromOnnx[row * 4 + j] - predicted.Predictions[row].Outputs[j]) <= 1e-5f, $"row {row}, output {j}");
    }

    [Fact]
    public async Task A_conv_model_is_evaluated_on_a_dataset_of_its_width_and_the_step_through_refuses_it()
    {
        await using var factory = _database.CreateFactory();
        using var client = factory.CreateClient();
        TrainedModel engine = ConvModel(new Random(11));
        ModelInfo imported = await client.ImportAsync(engine.ToBytes(), "conv-evaluate");
        float[][] rows = RandomRows(new Random(13), Rows);
        string[] labels = [.. Enumerable.Range(0, Rows).Select(i => ClassNames[i % 4])];
        var csv = new StringBuilder(string.Join(",", Enumerable.Range(0, Features).Select(i => $"p{i}")) + ",label\n");
        for (int row = 0; row < Rows; row++)
            csv.Append(string.Join(",", rows[row].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append(',').Append(labels[row]).Append('\n');
        DatasetInfo dataset = await client.UploadCsvAsync(csv.ToString(), "pixels.csv");

        var report = await client.PostAsync<EvaluationReport>($"/api/models/{imported.Id}/evaluate", new EvaluateRequest(dataset.Id));

        // Accuracy as the engine's predictions give it, class i of the model against class i of the dataset.
        float[] outputs = new float[4];
        int correct = 0;
        for (int row = 0; row < Rows; row++)
        {
            engine.Predict(rows[row], outputs);
            if (Array.IndexOf(outputs, outputs.Max()) == dataset.Classes!.ToList().IndexOf(labels[row])) correct++;
        }
        Assert.Equal(Rows, report.Samples);
        Assert.Equal((double)correct / Rows, report.Accuracy!.Value, 12);
        Assert.Equal(Rows, report.ConfusionMatrix!.Sum(r => r.Sum()));

        // The same values as 4×3×3 images are not the model's 1×6×6 images.
        using var form = new MultipartFormDataContent
        {
            { new StringContent(csv.ToString()), "file", "cubes.csv" },
            { new StringContent("4,3,3"), "shape" },
        };
        var cubes = JsonSerializer.Deserialize<DatasetInfo>(await (await client.PostAsync("/api/datasets", form)).Content.ReadAsStringAsync(), ApiClient.Json)!;
        var refused = await client.PostAsJsonAsync($"/api/models/{imported.Id}/evaluate", new EvaluateRequest(cubes.Id), ApiClient.Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("4x3x3 (channels x height x width); the model takes 1x6x6 images", await refused.Content.ReadAsStringAsync());

        var explain = await client.GetAsync($"/api/models/{imported.Id}/explain-request");
        string body = await explain.Content.ReadAsStringAsync();
        Assert.True(explain.StatusCode == HttpStatusCode.BadRequest, body);
        using var problem = JsonDocument.Parse(body);
        Assert.Contains("dense layers only; this model has a conv2d layer", problem.RootElement.GetProperty("errors").GetProperty("id")[0].GetString());
    }

    [Fact]
    public async Task Importing_a_conv_model_larger_than_the_job_limits_is_refused_from_its_shape()
    {
        await using var factory = _database.CreateFactory(new Dictionary<string, string?> { ["Limits:MaxParameters"] = "50" });
        using var client = factory.CreateClient();
        byte[] file = ConvModel(new Random(1)).ToBytes(); // 3·(1·9 + 1) + 4·(27 + 1) = 142 parameters

        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var response = await client.PostAsync("/api/models?name=too-big", content);

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains("142 weights and biases", body);
        Assert.Empty(await client.GetAsync<List<ModelInfo>>("/api/models"));
    }

    /// <summary>
    /// 1×6×6 → conv 3 of 3×3, padding 1, relu (3×6×6) → maxPool 2 (3×3×3) → dropout 0.5 → dense 4 softmax; weights
    /// uniform in [−1, 1]; standardized inputs.
    /// </summary>
    private static TrainedModel ConvModel(Random random)
    {
        var shape = new NetworkShape(Features,
        [
            LayerSpec.Conv2d(3, 3, ActivationKind.Relu, padding: 1),
            LayerSpec.MaxPool(2),
            LayerSpec.Dropout(0.5),
            LayerSpec.Dense(4, ActivationKind.Softmax),
        ]) { InputShape = Image };
        var network = new Network<float>(shape);
        for (int i = 0; i < network.ParameterCount; i++) network.Parameters[i] = (float)(2 * random.NextDouble() - 1);
        float[] training = RandomRows(random, 50).SelectMany(r => r).ToArray();
        var normalizer = Normalizer.Fit(NormalizationKind.Standard, new Dataset("training", TaskKind.Regression, Features, 1, training, new float[50]));
        return new TrainedModel(network, normalizer, TaskKind.Classification, ClassNames, Engine.Costs.CostKind.CrossEntropy, null);
    }

    /// <summary>Pixel-like rows in [0, 255].</summary>
    private static float[][] RandomRows(Random random, int rows) =>
        [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, Features).Select(_ => (float)random.Next(256)).ToArray())];
}
