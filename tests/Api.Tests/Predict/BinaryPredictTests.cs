using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Predict;

/// <summary>The binary predict format answers what JSON answers, and every bad binary body gets a 4xx naming the problem.</summary>
public sealed class BinaryPredictTests(BinaryPredictTests.Service service) : IClassFixture<BinaryPredictTests.Service>
{
    /// <summary>
    /// The service every bad body is sent to: low limits and the model "xor-net". The bad bodies change nothing, so they
    /// share it (a service per case was most of their time); each case still checks that it keeps serving.
    /// </summary>
    public sealed class Service : SharedService
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Limits:MaxPredictRows"] = "5",
            ["Limits:MaxJsonBytes"] = "4096",
        };

        protected override async Task SetUpAsync(HttpClient client) => await client.ImportAsync(PredictClient.XorModel(), "xor-net");
    }

    private static readonly float[][] Corners = [[-1f, -1f], [-1f, 1f], [1f, -1f], [1f, 1f], [0.123456789f, -3.4e-5f]];

    [Fact]
    public async Task A_binary_round_trip_gives_the_same_outputs_classes_and_model_as_json()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var model = await client.ImportAsync(PredictClient.XorModel(), "xor-net");

        var json = await client.PredictJsonAsync("/predict", new PredictRequest("xor-net", Corners));
        var byName = await client.PredictBinaryAsync("/predict", PredictClient.BinaryBody("xor-net", Corners));
        var byRoute = await client.PredictBinaryAsync($"/api/models/{model.Id}/predict", PredictClient.BinaryBody(null, Corners));
        var byQuery = await client.PredictBinaryAsync("/predict?model=xor-net", PredictClient.BinaryBody(null, Corners));

        foreach (var binary in new[] { byName, byRoute, byQuery })
        {
            Assert.Equal(model.Id, binary.ModelId);
            Assert.Equal(json.ModelId, binary.ModelId);
            Assert.Equal(Corners.Length, binary.Outputs.Length);
            for (int i = 0; i < Corners.Length; i++)
            {
                Assert.Equal(json.Predictions[i].Outputs, binary.Outputs[i]); // bit for bit: floats survive JSON's shortest round-trip text
                Assert.Equal(json.Predictions[i].Class, binary.Classes![i]);
            }
        }
    }

    [Fact]
    public async Task A_binary_request_answers_json_when_accept_asks_for_json_and_json_answers_binary_when_asked()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        await client.ImportAsync(PredictClient.XorModel(), "xor-net");

        using var binaryIn = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = PredictClient.Binary(PredictClient.BinaryBody("xor-net", Corners)) };
        binaryIn.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var jsonOut = await client.SendAsync(binaryIn);
        Assert.Equal(HttpStatusCode.OK, jsonOut.StatusCode);
        var parsed = JsonSerializer.Deserialize<PredictResponse>(await jsonOut.Content.ReadAsStringAsync(), ApiClient.Json)!;
        Assert.Equal(Corners.Length, parsed.Predictions.Count);
        Assert.Equal(parsed.Predictions[0].Class.ToString(), parsed.Predictions[0].Label);

        using var jsonIn = new HttpRequestMessage(HttpMethod.Post, "/predict")
        {
            Content = new StringContent("""{"model":"xor-net","inputs":[[1,1]]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        jsonIn.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(PredictClient.BinaryType));
        var binaryOut = await client.SendAsync(jsonIn);
        Assert.Equal(PredictClient.BinaryType, binaryOut.Content.Headers.ContentType?.MediaType);
        var answer = PredictClient.ReadAnswer(await binaryOut.Content.ReadAsByteArrayAsync());
        Assert.Equal(parsed.Predictions[3].Outputs, answer.Outputs[0]);

        // application/octet-stream is the same format.
        var octet = await client.PostAsync("/predict", PredictClient.Binary(PredictClient.BinaryBody("xor-net", Corners), "application/octet-stream"));
        Assert.Equal(HttpStatusCode.OK, octet.StatusCode);
        Assert.Equal(Corners.Length, PredictClient.ReadAnswer(await octet.Content.ReadAsByteArrayAsync()).Outputs.Length);
    }

    [Fact]
    public async Task Swagger_documents_the_binary_format_on_both_predict_routes()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        using var swagger = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"));
        foreach (var path in new[] { "/predict", "/api/models/{id}/predict" })
        {
            var post = swagger.RootElement.GetProperty("paths").GetProperty(path).GetProperty("post");
            Assert.Contains("BPF1", post.GetProperty("description").GetString());
            var content = post.GetProperty("requestBody").GetProperty("content");
            Assert.True(content.TryGetProperty("application/json", out _));
            Assert.Equal("binary", content.GetProperty(PredictClient.BinaryType).GetProperty("schema").GetProperty("format").GetString());
            var ok = post.GetProperty("responses").GetProperty("200").GetProperty("content");
            Assert.Equal("binary", ok.GetProperty(PredictClient.BinaryType).GetProperty("schema").GetProperty("format").GetString());
        }
        Assert.False(swagger.RootElement.GetProperty("paths").TryGetProperty("/bench/trivial", out _));
    }

    [Fact]
    public async Task The_trivial_bench_endpoint_exists_only_in_the_bench_host()
    {
        using var database = new TempDatabase();
        const string body = """{"model":"x","inputs":[[1,2,3,4,5,6,7,8,9,10,11]]}""";
        await using (var off = database.CreateFactory())
        {
            var response = await off.CreateClient().PostAsync("/bench/trivial", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }
        // What bench/PredictLoad.Host adds to the service when bench/predict-load.sh starts it.
        await using var service = database.CreateFactory();
        await using var on = service.WithWebHostBuilder(new BackpropService.Bench.PredictLoadHost.TrivialEndpointStartup().Configure);
        var sums = JsonSerializer.Deserialize<float[]>(await (await on.CreateClient().PostAsync("/bench/trivial",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!;
        Assert.Equal([12f, 2, 3, 4, 5, 6, 7, 8, 9, 10], sums);
    }

    private sealed record BadCase(Func<byte[]> Body, HttpStatusCode Status, string Field, string Url = "/predict", string ContentType = PredictClient.BinaryType);

    private static readonly Dictionary<string, BadCase> BadCases = new()
    {
        ["empty body"] = new(() => [], HttpStatusCode.BadRequest, "body"),
        ["truncated header"] = new(() => PredictClient.BinaryBody("xor-net", Corners)[..10], HttpStatusCode.BadRequest, "body"),
        ["foreign magic"] = new(() => PredictClient.BinaryBody("xor-net", Corners, magic: 0x4F4E_4E4F), HttpStatusCode.BadRequest, "body"),
        ["json sent as binary"] = new(() => """{"model":"xor-net","inputs":[[1,1]]}"""u8.ToArray(), HttpStatusCode.BadRequest, "body"),
        ["reserved flags set"] = new(() => PredictClient.BinaryBody("xor-net", Corners, flags: 4), HttpStatusCode.BadRequest, "flags"),
        ["truncated rows"] = new(() => PredictClient.BinaryBody("xor-net", Corners)[..^3], HttpStatusCode.BadRequest, "body"),
        ["extra bytes"] = new(() => [.. PredictClient.BinaryBody("xor-net", Corners), 0, 0, 0, 0], HttpStatusCode.BadRequest, "body"),
        ["zero rows"] = new(() => PredictClient.BinaryBody("xor-net", Corners, rowCount: 0), HttpStatusCode.BadRequest, "rows"),
        ["absurd row count"] = new(() => PredictClient.BinaryBody("xor-net", Corners, rowCount: uint.MaxValue), HttpStatusCode.BadRequest, "rows"),
        ["more rows than the limit"] = new(() => PredictClient.BinaryBody("xor-net", Enumerable.Repeat(new[] { 1f, 1f }, 6).ToArray()), HttpStatusCode.BadRequest, "rows"),
        ["zero columns"] = new(() => PredictClient.BinaryBody("xor-net", [[]], columns: 0), HttpStatusCode.BadRequest, "columns"),
        ["wrong width"] = new(() => PredictClient.BinaryBody("xor-net", [[1f, 2f, 3f], [4f, 5f, 6f]]), HttpStatusCode.BadRequest, "columns"),
        ["NaN"] = new(() => PredictClient.BinaryBody("xor-net", [[1f, 1f], [1f, float.NaN]]), HttpStatusCode.BadRequest, "inputs[1][1]"),
        ["infinity"] = new(() => PredictClient.BinaryBody("xor-net", [[float.PositiveInfinity, 1f]]), HttpStatusCode.BadRequest, "inputs[0][0]"),
        ["model name that is not UTF-8"] = new(() => Patch(PredictClient.BinaryBody("xor-net", Corners), 16, 0xFF), HttpStatusCode.BadRequest, "model"),
        ["no model anywhere"] = new(() => PredictClient.BinaryBody(null, Corners), HttpStatusCode.BadRequest, "model"),
        ["unknown model"] = new(() => PredictClient.BinaryBody("nope", Corners), HttpStatusCode.NotFound, "id"),
        ["unknown model in the route"] = new(() => PredictClient.BinaryBody(null, Corners), HttpStatusCode.NotFound, "id", "/api/models/nope/predict"),
        ["unsupported content type"] = new(() => PredictClient.BinaryBody("xor-net", Corners), HttpStatusCode.UnsupportedMediaType, "body", ContentType: "image/png"),
        ["larger than the body limit"] = new(() => PredictClient.BinaryBody("xor-net", Enumerable.Repeat(new float[1024], 2).ToArray()), HttpStatusCode.RequestEntityTooLarge, "body"),
    };

    public static TheoryData<string> BadCaseNames() => new(BadCases.Keys);

    [Theory]
    [MemberData(nameof(BadCaseNames))]
    public async Task A_bad_binary_body_gets_a_4xx_problem_naming_the_problem(string name)
    {
        var @case = BadCases[name];
        var client = service.Client;

        var response = await client.PostAsync(@case.Url, PredictClient.Binary(@case.Body(), @case.ContentType));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(@case.Status == response.StatusCode, $"expected {(int)@case.Status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(@case.Field, out var messages), $"'{@case.Field}' is not named in {body}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        // Still serving.
        Assert.Single((await client.PredictJsonAsync("/predict", new PredictRequest("xor-net", [[1f, 1f]]))).Predictions);
    }

    private static byte[] Patch(byte[] body, int at, byte value)
    {
        body[at] = value;
        return body;
    }
}
