using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Engine;
using BackpropService.Engine.Activations;
using BackpropService.Engine.Data;
using BackpropService.Engine.Training;

namespace BackpropService.Api.Tests;

/// <summary>
/// Every bad request gets a 4xx problem-details answer naming the field; none creates a job or a
/// dataset, and the service stays healthy.
/// </summary>
public sealed class BadInputTests(BadInputTests.Service service) : IClassFixture<BadInputTests.Service>
{
    /// <summary>The service every case is sent to: low limits, and a model named "m" (2 inputs) to predict with.</summary>
    public sealed class Service : SharedService
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Limits:MaxUploadBytes"] = "65536",
            ["Limits:MaxPredictRows"] = "5",
            ["Limits:MaxDatasetBytes"] = "1000000",
            ["Limits:MaxClasses"] = "20",
        };

        protected override Task SetUpAsync(HttpClient client) => ImportModelAsync(client, "m");
    }

    private const string ValidJob = """
        { "datasetId": "xor", "layers": [ { "size": 4, "activation": "tanh" }, { "size": 2, "activation": "softmax" } ], "epochs": 2 }
        """;

    private sealed record Case(string Method, string Url, Func<HttpContent?> Body, HttpStatusCode Status, string Field);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // Jobs: required fields and ranges.
        ["unknown dataset"] = Job(j => j["datasetId"] = "no-such-set", "datasetId"),
        ["missing dataset"] = Job(j => j.Remove("datasetId"), "datasetId"),
        ["missing layers"] = Job(j => j.Remove("layers"), "layers"),
        ["empty layers"] = Job(j => j["layers"] = new JsonArray(), "layers"),
        ["too many layers"] = Job(j => j["layers"] = new JsonArray(Enumerable.Range(0, 40).Select(_ => (JsonNode)Layer(2, "tanh")).ToArray()), "layers"),
        ["oversized layer"] = Job(j => j["layers"]![0]!["size"] = 10_000_000, "layers[0].size"),
        ["zero-size layer"] = Job(j => j["layers"]![0]!["size"] = 0, "layers[0].size"),
        ["null layer"] = Job(j => j["layers"]![0] = null, "layers[0]"),
        ["last layer size is not the dataset's outputs"] = Job(j => j["layers"]![1]!["size"] = 3, "layers[1].size"),
        ["softmax outside the output layer"] = Job(j => j["layers"]![0]!["activation"] = "softmax", "layers[0].activation"),
        ["unknown activation"] = Job(j => j["layers"]![1]!["activation"] = "swish", "layers[1].activation"),
        ["unknown optimizer"] = Job(j => j["optimizer"] = "adamw", "optimizer"),
        ["unknown cost"] = Job(j => j["cost"] = "hinge", "cost"),
        ["missing epochs"] = Job(j => j.Remove("epochs"), "epochs"),
        ["zero epochs"] = Job(j => j["epochs"] = 0, "epochs"),
        ["too many epochs"] = Job(j => j["epochs"] = 1_000_000, "epochs"),
        ["epochs not a number"] = Job(j => j["epochs"] = "ten", "epochs"),
        ["zero batch size"] = Job(j => j["batchSize"] = 0, "batchSize"),
        ["negative learning rate"] = Job(j => j["learningRate"] = -0.1, "learningRate"),
        ["huge learning rate"] = Job(j => j["learningRate"] = 1e9, "learningRate"),
        ["validation split of one"] = Job(j => j["validationSplit"] = 1.0, "validationSplit"),
        ["negative l2"] = Job(j => j["l2"] = -1, "l2"),
        ["momentum of one"] = Job(j => j["momentum"] = 1.0, "momentum"),
        ["early stopping without validation"] = Job(j => { j["validationSplit"] = 0; j["earlyStoppingPatience"] = 3; }, "earlyStoppingPatience"),
        ["training buffers above the activation limit"] = Job(j => j["layers"] = new JsonArray(Layer(100_000, "tanh"), Layer(2, "softmax")), "batchSize"),
        ["too many parameters"] = Job(j => j["layers"] = new JsonArray(Layer(5000, "tanh"), Layer(5000, "tanh"), Layer(2, "softmax")), "layers"),
        ["truncated json"] = new("POST", "/api/jobs", () => Json("{ \"datasetId\": "), HttpStatusCode.BadRequest, "datasetId"),
        ["malformed json"] = new("POST", "/api/jobs", () => Json("{ datasetId: xor }"), HttpStatusCode.BadRequest, "body"),
        ["json array instead of object"] = new("POST", "/api/jobs", () => Json("[1, 2]"), HttpStatusCode.BadRequest, "body"),
        ["empty body"] = new("POST", "/api/jobs", () => Json(""), HttpStatusCode.BadRequest, "body"),
        ["wrong content type"] = new("POST", "/api/jobs", () => new StringContent(ValidJob, Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType, "body"),
        ["unknown job"] = new("GET", "/api/jobs/nope", () => null, HttpStatusCode.NotFound, "id"),
        ["cancel unknown job"] = new("POST", "/api/jobs/nope/cancel", () => null, HttpStatusCode.NotFound, "id"),
        ["bad status filter"] = new("GET", "/api/jobs?status=sleeping", () => null, HttpStatusCode.BadRequest, "status"),

        // Datasets.
        ["upload without files"] = new("POST", "/api/datasets", () => Form(("name", "x")), HttpStatusCode.BadRequest, "file"),
        ["upload that is not multipart"] = new("POST", "/api/datasets", () => Json("{}"), HttpStatusCode.UnsupportedMediaType, "body"),
        ["upload with a wrong extension"] = new("POST", "/api/datasets", () => FileForm("file", "data.txt", "a,b\n1,2\n"), HttpStatusCode.BadRequest, "file"),
        ["csv that is not csv"] = new("POST", "/api/datasets", () => FileForm("file", "data.csv", "\u0001\u0002 garbage"), HttpStatusCode.BadRequest, "file"),
        ["csv with an unknown label column"] = new("POST", "/api/datasets", () => FileForm("file", "data.csv", "a,b\n1,2\n3,4\n", ("labelColumn", "zzz")), HttpStatusCode.BadRequest, "labelColumn"),
        ["csv with an unknown task"] = new("POST", "/api/datasets", () => FileForm("file", "data.csv", "a,b\n1,2\n", ("task", "clustering")), HttpStatusCode.BadRequest, "task"),
        ["idx images without labels"] = new("POST", "/api/datasets", () => FileForm("images", "images.idx", "xxxx"), HttpStatusCode.BadRequest, "labels"),
        ["corrupt idx images"] = new("POST", "/api/datasets", () => IdxForm(images: [1, 2, 3, 4, 5, 6, 7, 8, 9], labels: [0, 0, 8, 1, 0, 0, 0, 0]), HttpStatusCode.BadRequest, "images"),
        ["gzip idx images that expand past the dataset limit"] = new("POST", "/api/datasets", () => IdxForm(images: GzipIdxImages(count: 2000), labels: IdxLabels(2000)), HttpStatusCode.BadRequest, "images"),
        ["csv with more classes than allowed"] = new("POST", "/api/datasets", () => FileForm("file", "data.csv", "x,name\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i},label{i}\n"))), HttpStatusCode.BadRequest, "labelColumn"),
        ["upload above the size limit"] = new("POST", "/api/datasets", () => FileForm("file", "big.csv", new string('1', 200_000)), HttpStatusCode.RequestEntityTooLarge, "body"),
        ["chunked upload above the size limit"] = new("POST", "/api/datasets", () => ChunkedFileForm("file", "big.csv", new string('1', 100_000)), HttpStatusCode.RequestEntityTooLarge, "body"),
        ["unknown dataset id"] = new("GET", "/api/datasets/nope", () => null, HttpStatusCode.NotFound, "id"),
        ["delete a built-in dataset"] = new("DELETE", "/api/datasets/xor", () => null, HttpStatusCode.Conflict, "id"),

        // Models and predict (a model named "m", 2 inputs, exists for these).
        ["predict without a model"] = new("POST", "/predict", () => Json("""{ "inputs": [[0, 0]] }"""), HttpStatusCode.BadRequest, "model"),
        ["predict with an unknown model"] = new("POST", "/predict", () => Json("""{ "model": "nope", "inputs": [[0, 0]] }"""), HttpStatusCode.NotFound, "id"),
        ["predict with a row of the wrong width"] = new("POST", "/predict", () => Json("""{ "model": "m", "inputs": [[0, 0], [1, 2, 3]] }"""), HttpStatusCode.BadRequest, "inputs[1]"),
        ["predict without inputs"] = new("POST", "/predict", () => Json("""{ "model": "m" }"""), HttpStatusCode.BadRequest, "inputs"),
        ["predict above the row limit"] = new("POST", "/predict", () => Json($$"""{ "model": "m", "inputs": [{{string.Join(",", Enumerable.Repeat("[0,0]", 6))}}] }"""), HttpStatusCode.BadRequest, "inputs"),
        ["predict with text for numbers"] = new("POST", "/predict", () => Json("""{ "model": "m", "inputs": [["a", "b"]] }"""), HttpStatusCode.BadRequest, "inputs[0][0]"),
        ["evaluate on an unknown dataset"] = new("POST", "/api/models/m/evaluate", () => Json("""{ "datasetId": "nope" }"""), HttpStatusCode.BadRequest, "datasetId"),
        ["evaluate on a dataset of another shape"] = new("POST", "/api/models/m/evaluate", () => Json("""{ "datasetId": "sine" }"""), HttpStatusCode.BadRequest, "datasetId"),
        ["unknown model"] = new("GET", "/api/models/nope", () => null, HttpStatusCode.NotFound, "id"),
        ["import a file that is not a model"] = new("POST", "/api/models", () => Bytes(Encoding.UTF8.GetBytes("System.Diagnostics.Process, System")), HttpStatusCode.BadRequest, "file"),
        ["import a truncated model"] = new("POST", "/api/models", () => Bytes(ModelBytes()[..40]), HttpStatusCode.BadRequest, "file"),

        // Explain.
        ["explain with a weight matrix of the wrong shape"] = new("POST", "/api/explain", () => Json("""
            { "layers": [ { "weights": [[0.1, 0.2, 0.3]], "biases": [0.1], "activation": "sigmoid" } ],
              "input": [1, 2], "target": [1], "cost": "quadratic", "learningRate": 0.5 }
            """), HttpStatusCode.BadRequest, "layers[0].weights[0]"),
        ["explain without input"] = new("POST", "/api/explain", () => Json("""
            { "layers": [ { "weights": [[0.1]], "biases": [0.1], "activation": "sigmoid" } ], "target": [1], "learningRate": 0.5 }
            """), HttpStatusCode.BadRequest, "input"),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_gets_a_4xx_problem_naming_the_field_and_changes_nothing(string name)
    {
        var @case = Cases[name];
        var client = service.Client;

        using var request = new HttpRequestMessage(new HttpMethod(@case.Method), @case.Url) { Content = @case.Body() };
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(@case.Status == response.StatusCode, $"expected {(int)@case.Status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)@case.Status, problem.RootElement.GetProperty("status").GetInt32());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(@case.Field, out var messages), $"'{@case.Field}' is not named in {body}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));

        Assert.Empty(await client.GetAsync<List<Job>>("/api/jobs"));
        Assert.All(await client.GetAsync<List<DatasetInfo>>("/api/datasets"), d => Assert.True(d.BuiltIn));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_enum_value_is_answered_with_the_accepted_values()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var response = await client.PostAsync("/api/jobs", Json(ValidJob.Replace("\"softmax\"", "\"softmaxx\"")));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("identity, sigmoid, tanh, relu, leakyRelu, softmax", body);
    }

    private static Case Job(Action<JsonObject> change, string field)
    {
        var job = JsonNode.Parse(ValidJob)!.AsObject();
        change(job);
        var json = job.ToJsonString();
        return new Case("POST", "/api/jobs", () => Json(json), HttpStatusCode.BadRequest, field);
    }

    private static JsonObject Layer(int size, string activation) => new() { ["size"] = size, ["activation"] = activation };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Bytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (fieldName, value) in fields) form.Add(new StringContent(value), fieldName);
        return form;
    }

    private static MultipartFormDataContent FileForm(string field, string fileName, string content, params (string Name, string Value)[] fields)
    {
        var form = Form(fields);
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(content)), field, fileName);
        return form;
    }

    /// <summary>
    /// A form whose file part has no known length, so the request is sent without a Content-Length (chunked) and only
    /// the limit met while reading can refuse it.
    /// </summary>
    private static MultipartFormDataContent ChunkedFileForm(string field, string fileName, string content)
    {
        // A decompressing stream cannot seek, so its length is unknown to HttpClient.
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(content));
        var unknownLength = new System.IO.Compression.GZipStream(new MemoryStream(compressed.ToArray()), System.IO.Compression.CompressionMode.Decompress);
        var form = new MultipartFormDataContent();
        form.Add(new StreamContent(unknownLength), field, fileName);
        return form;
    }

    /// <summary>A valid IDX images file of 28×28 zeros, gzip-compressed: a few kilobytes that expand to count × 784 bytes.</summary>
    private static byte[] GzipIdxImages(int count)
    {
        var raw = new byte[16 + count * 28 * 28];
        raw[2] = 0x08; raw[3] = 0x03;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), count);
        raw[11] = 28; raw[15] = 28;
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize)) gzip.Write(raw);
        return compressed.ToArray();
    }

    private static byte[] IdxLabels(int count)
    {
        var raw = new byte[8 + count];
        raw[2] = 0x08; raw[3] = 0x01;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), count);
        return raw;
    }

    private static MultipartFormDataContent IdxForm(byte[] images, byte[] labels)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(images), "images", "images-idx3-ubyte");
        form.Add(new ByteArrayContent(labels), "labels", "labels-idx1-ubyte");
        return form;
    }

    /// <summary>A real model file (one softmax layer on xor, one epoch), made with the engine directly.</summary>
    private static byte[] ModelBytes()
    {
        var trainer = Trainer.Start(SyntheticDatasets.Create("xor", 40), new TrainingOptions
        {
            Layers = [new LayerSpec(2, ActivationKind.Softmax)],
            Cost = Engine.Costs.CostKind.CrossEntropy,
            Epochs = 1,
            ValidationSplit = 0,
        });
        trainer.RunEpoch();
        return trainer.CreateModel().ToBytes();
    }

    private static async Task ImportModelAsync(HttpClient client, string name)
    {
        var response = await client.PostAsync($"/api/models?name={name}", Bytes(ModelBytes()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
