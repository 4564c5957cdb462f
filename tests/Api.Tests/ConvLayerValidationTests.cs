using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

/// <summary>
/// Layers of every type in a job request: each bad one is refused with a 400 that names the field, before the job is
/// stored, and a good one is echoed with its defaults filled in.
/// </summary>
public sealed class ConvLayerValidationTests(ConvLayerValidationTests.Service service) : IClassFixture<ConvLayerValidationTests.Service>
{
    /// <summary>
    /// The service every refused layer is sent to, with a 12×12 image dataset. A refused request stores nothing (each
    /// case checks that no job exists), so the cases share it; a service per case was most of their time. The two
    /// accepted networks store a job and start their own service.
    /// </summary>
    public sealed class Service : SharedService
    {
        /// <summary>1×12×12 images in two classes.</summary>
        public DatasetInfo Images { get; private set; } = null!;

        protected override async Task SetUpAsync(HttpClient client) => Images = await UploadImagesAsync(client, side: 12);
    }

    private const string Output = """{ "size": 2, "activation": "softmax" }""";

    [Theory]
    // An unknown type names the field and the accepted values.
    [InlineData("""{ "type": "conv3d", "filters": 2, "kernel": 1 }""", "layers[0].type", "dense, conv2d, maxPool, dropout")]
    // Fields a type does not have.
    [InlineData("""{ "size": 4, "activation": "relu", "kernel": 3 }""", "layers[0].kernel", "a dense layer has no kernel")]
    [InlineData("""{ "size": 4, "activation": "relu", "filters": 3 }""", "layers[0].filters", "a dense layer has no filters")]
    [InlineData("""{ "size": 4, "activation": "relu", "rate": 0.5 }""", "layers[0].rate", "a dense layer has no rate")]
    [InlineData("""{ "type": "conv2d", "filters": 2, "kernel": 1, "size": 4 }""", "layers[0].size", "a conv2d layer has no size")]
    [InlineData("""{ "type": "conv2d", "filters": 2, "kernel": 1, "rate": 0.1 }""", "layers[0].rate", "a conv2d layer has no rate")]
    [InlineData("""{ "type": "maxPool", "size": 2, "activation": "relu" }""", "layers[0].activation", "a maxPool layer has no activation")]
    [InlineData("""{ "type": "maxPool", "size": 2, "stride": 2 }""", "layers[0].stride", "a maxPool layer has no stride")]
    [InlineData("""{ "type": "maxPool", "size": 2, "kernel": 2 }""", "layers[0].kernel", "a maxPool layer has no kernel")]
    [InlineData("""{ "type": "dropout", "rate": 0.5, "size": 4 }""", "layers[0].size", "a dropout layer has no size")]
    [InlineData("""{ "type": "dropout", "rate": 0.5, "padding": 1 }""", "layers[0].padding", "a dropout layer has no padding")]
    // Required fields per type.
    [InlineData("""{ "activation": "relu" }""", "layers[0].size", "Required: the number of neurons")]
    [InlineData("""{ "type": "dense", "size": 3 }""", "layers[0].activation", "Required: one of identity, sigmoid")]
    [InlineData("""{ "type": "conv2d", "kernel": 3 }""", "layers[0].filters", "Required: the number of filters")]
    [InlineData("""{ "type": "conv2d", "filters": 3 }""", "layers[0].kernel", "Required: the side of the square kernel")]
    [InlineData("""{ "type": "maxPool" }""", "layers[0].size", "Required: the side of the square window")]
    [InlineData("""{ "type": "dropout" }""", "layers[0].rate", "Required: the fraction of values dropped")]
    // The engine's rules, on the field they concern.
    [InlineData("""{ "type": "conv2d", "filters": 1000000000, "kernel": 1 }""", "layers[0].filters", "between 1 and")]
    [InlineData("""{ "type": "conv2d", "filters": 2, "kernel": 0 }""", "layers[0].kernel", "at least 1")]
    [InlineData("""{ "type": "conv2d", "filters": 2, "kernel": 3, "stride": 0 }""", "layers[0].stride", "at least 1")]
    [InlineData("""{ "type": "conv2d", "filters": 2, "kernel": 3, "padding": 3 }""", "layers[0].padding", "between 0 and the kernel size")]
    [InlineData("""{ "type": "conv2d", "filters": 2, "kernel": 3, "activation": "softmax" }""", "layers[0].activation", "softmax is only allowed on the output")]
    [InlineData("""{ "type": "maxPool", "size": 0 }""", "layers[0].size", "at least 1")]
    [InlineData("""{ "type": "dropout", "rate": 1 }""", "layers[0].rate", "below 1")]
    [InlineData("""{ "type": "dropout", "rate": -0.1 }""", "layers[0].rate", "at least 0")]
    // xor is flat (2 features): convolutions and pools need an image.
    [InlineData("""{ "type": "conv2d", "filters": 2, "kernel": 1 }""", "layers[0]", "needs an image-shaped input")]
    [InlineData("""{ "type": "maxPool", "size": 1 }""", "layers[0]", "needs an image-shaped input")]
    public async Task A_bad_layer_is_refused_with_a_problem_naming_its_field(string layer, string field, string reason)
    {
        var client = service.Client;

        var (status, errors) = await SubmitAsync(client, $$"""{ "datasetId": "xor", "epochs": 1, "layers": [ {{layer}}, {{Output}} ] }""");

        await AssertRefusedAsync(client, status, errors, field, reason);
    }

    [Fact]
    public async Task The_output_layer_must_be_dense()
    {
        var client = service.Client;

        var (status, errors) = await SubmitAsync(client,
            """{ "datasetId": "xor", "epochs": 1, "layers": [ { "size": 2, "activation": "softmax" }, { "type": "dropout", "rate": 0.5 } ] }""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("must be a dense layer", Assert.Single(errors["layers[1]"]));
    }

    [Fact]
    public async Task A_dense_network_with_dropout_on_a_flat_dataset_is_accepted_and_echoes_its_layers_with_their_types()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        var response = await client.PostAsync("/api/jobs", Json(
            """{ "datasetId": "xor", "epochs": 1, "layers": [ { "size": 8, "activation": "tanh" }, { "type": "dropout", "rate": 0.25 }, { "type": "dense", "size": 2, "activation": "softmax" } ], "cost": "crossEntropy" }"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var job = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var layers = job.RootElement.GetProperty("options").GetProperty("layers");
        Assert.Equal("""{"size":8,"activation":"tanh","type":"dense"}""", layers[0].GetRawText());
        Assert.Equal("""{"type":"dropout","rate":0.25}""", layers[1].GetRawText());
        Assert.Equal("""{"size":2,"activation":"softmax","type":"dense"}""", layers[2].GetRawText());
    }

    [Theory]
    // 1×12×12: conv 5 → 8×8, pool 2 → 4×4, then a 5×5 kernel does not fit.
    [InlineData("""{ "type": "conv2d", "filters": 2, "kernel": 5 }, { "type": "maxPool", "size": 2 }, { "type": "conv2d", "filters": 2, "kernel": 5 }""",
        "layers[2]", "a 5x5 kernel does not fit a 4x4 input")]
    [InlineData("""{ "type": "conv2d", "filters": 2, "kernel": 1000000 }""", "layers[0]", "a 1000000x1000000 kernel does not fit a 12x12 input")]
    [InlineData("""{ "type": "conv2d", "filters": 2, "kernel": 15, "padding": 1 }""", "layers[0]", "a 15x15 kernel does not fit a 12x12 input padded by 1")]
    [InlineData("""{ "type": "maxPool", "size": 13 }""", "layers[0]", "a 13x13 pool does not fit a 12x12 input")]
    // 100,000 filters of 1×1 on 12×12: each filter is within the limit, the layer's output (14.4 million values) is not.
    [InlineData("""{ "type": "conv2d", "filters": 100000, "kernel": 1 }""", "layers[0]", "the layer's output would hold 14,400,000 values (100000x12x12)")]
    // 600 filters of 3×3 (600×10×10 = 60,000 values), then 100 neurons: 6 million weights against the default limit of 5 million.
    [InlineData("""{ "type": "conv2d", "filters": 600, "kernel": 3 }, { "size": 100, "activation": "relu" }""", "layers", "the network would have 6,006,302 weights and biases; the limit is 5,000,000")]
    public async Task A_layer_that_does_not_fit_an_image_dataset_is_refused_naming_the_layer_and_the_shapes(string layers, string field, string reason)
    {
        var client = service.Client;
        DatasetInfo images = service.Images;

        var (status, errors) = await SubmitAsync(client, $$"""{ "datasetId": "{{images.Id}}", "epochs": 1, "layers": [ {{layers}}, {{Output}} ] }""");

        await AssertRefusedAsync(client, status, errors, field, reason);
    }

    [Fact]
    public async Task A_conv_network_on_an_image_dataset_is_accepted_and_echoes_its_layers_with_the_defaults_filled_in()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        DatasetInfo images = await UploadImagesAsync(client, side: 8);

        var response = await client.PostAsync("/api/jobs", Json($$"""
            { "datasetId": "{{images.Id}}", "epochs": 1, "cost": "crossEntropy", "layers": [
                { "type": "conv2d", "filters": 4, "kernel": 3 },
                { "type": "conv2d", "filters": 2, "kernel": 3, "stride": 2, "padding": 1, "activation": "tanh" },
                { "type": "maxPool", "size": 2 },
                { "type": "dropout", "rate": 0.5 },
                { "size": 2, "activation": "softmax" } ] }
            """));

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var job = JsonSerializer.Deserialize<Job>(body, ApiClient.Json)!;
        LayerShape[] expected =
        [
            new(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = 4, Kernel = 3, Stride = 1, Padding = 0 },
            new(null, Activation.Tanh) { Type = LayerType.Conv2d, Filters = 2, Kernel = 3, Stride = 2, Padding = 1 },
            new(2, null) { Type = LayerType.MaxPool },
            new(null, null) { Type = LayerType.Dropout, Rate = 0.5 },
            new(2, Activation.Softmax),
        ];
        Assert.Equal(expected, job.Options.Layers);
        Assert.Equal(expected, (await client.GetAsync<Job>($"/api/jobs/{job.Id}")).Options.Layers);
        using var echoed = JsonDocument.Parse(body);
        Assert.Equal("""{"activation":"relu","type":"conv2d","filters":4,"kernel":3,"stride":1,"padding":0}""",
            echoed.RootElement.GetProperty("options").GetProperty("layers")[0].GetRawText());
    }

    /// <summary>
    /// A CSV of <paramref name="side"/>×<paramref name="side"/> one-channel images (shape 1,side,side) in two classes: a
    /// bright left half or a bright right half.
    /// </summary>
    internal static async Task<DatasetInfo> UploadImagesAsync(HttpClient client, int side)
    {
        var csv = new StringBuilder(string.Join(",", Enumerable.Range(0, side * side).Select(i => $"p{i}")) + ",label\n");
        for (int sample = 0; sample < 40; sample++)
        {
            bool left = sample % 2 == 0;
            var pixels = Enumerable.Range(0, side * side).Select(i => (i % side < side / 2) == left ? "1" : "0");
            csv.Append(string.Join(",", pixels)).Append(left ? ",left\n" : ",right\n");
        }
        using var form = new MultipartFormDataContent
        {
            { new StringContent(csv.ToString()), "file", "images.csv" },
            { new StringContent($"1,{side},{side}"), "shape" },
        };
        var response = await client.PostAsync("/api/datasets", form);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var dataset = JsonSerializer.Deserialize<DatasetInfo>(body, ApiClient.Json)!;
        Assert.Equal([1, side, side], dataset.Shape);
        return dataset;
    }

    /// <summary>A 400 with <paramref name="reason"/> among the messages on <paramref name="field"/>, and no job stored.</summary>
    private static async Task AssertRefusedAsync(HttpClient client, HttpStatusCode status, Dictionary<string, string[]> errors, string field, string reason)
    {
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(errors.ContainsKey(field), $"expected an error on {field}, got: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
        Assert.Contains(errors[field], message => message.Contains(reason, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(await client.GetAsync<List<Job>>("/api/jobs"));
    }

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    internal static async Task<(HttpStatusCode Status, Dictionary<string, string[]> Errors)> SubmitAsync(HttpClient client, string json)
    {
        var response = await client.PostAsync("/api/jobs", Json(json));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.BadRequest) return (response.StatusCode, []);
        using var problem = JsonDocument.Parse(body);
        return (response.StatusCode, problem.RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!);
    }
}
