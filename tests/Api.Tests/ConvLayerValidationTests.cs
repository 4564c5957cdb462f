using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;

namespace BackpropService.Api.Tests;

/// <summary>
/// Layers of every type in a job request: each bad one is refused with a 400 that names the field, before the job is
/// stored, and a good one is echoed with its defaults filled in.
/// </summary>
public sealed class ConvLayerValidationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

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
        await using var factory = _database.CreateFactory();
        var client = factory.CreateClient();

        var (status, errors) = await SubmitAsync(client, $$"""{ "datasetId": "xor", "epochs": 1, "layers": [ {{layer}}, {{Output}} ] }""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(errors.ContainsKey(field), $"expected an error on {field}, got: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
        Assert.Contains(errors[field], message => message.Contains(reason, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(await client.GetAsync<List<BackpropService.Contracts.Job>>("/api/jobs"));
    }

    [Fact]
    public async Task The_output_layer_must_be_dense()
    {
        await using var factory = _database.CreateFactory();
        var client = factory.CreateClient();

        var (status, errors) = await SubmitAsync(client,
            """{ "datasetId": "xor", "epochs": 1, "layers": [ { "size": 2, "activation": "softmax" }, { "type": "dropout", "rate": 0.5 } ] }""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("must be a dense layer", Assert.Single(errors["layers[1]"]));
    }

    [Fact]
    public async Task A_dense_network_with_dropout_on_a_flat_dataset_is_accepted_and_echoes_its_layers_with_their_types()
    {
        await using var factory = _database.CreateFactory();
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
