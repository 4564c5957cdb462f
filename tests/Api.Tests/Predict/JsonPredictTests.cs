using System.Globalization;
using System.Net;
using System.Numerics.Tensors;
using System.Text;
using System.Text.Json;
using BackpropService.Api.Predict;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Engine;

namespace BackpropService.Api.Tests.Predict;

/// <summary>The hand-written JSON path keeps the contract: the same bodies accepted, the same answers and field names.</summary>
public sealed class JsonPredictTests
{
    [Fact]
    public async Task Json_outputs_are_the_engines_own_outputs_and_bodies_the_binder_accepted_are_still_accepted()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var file = PredictClient.XorModel();
        var model = await client.ImportAsync(file, "xor-net");
        var engine = TrainedModel.FromBytes(file);

        // Property names in any case, unknown properties, numbers as strings, exponents, model after inputs.
        const string body = """
            { "Inputs": [ [ "0.25", -1e0 ], [1.5E-3, 2] , [-0, 0.1] ], "extra": { "nested": [1, {"a": null}] }, "MODEL": "xor-net" }
            """;
        var response = await client.PostAsync("/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var answer = JsonSerializer.Deserialize<PredictResponse>(text, ApiClient.Json)!;
        Assert.Equal(model.Id, answer.ModelId);

        float[][] rows = [[0.25f, -1f], [1.5e-3f, 2f], [0f, 0.1f]];
        for (int i = 0; i < rows.Length; i++)
        {
            var expected = new float[engine.Outputs];
            engine.Predict(rows[i], expected);
            Assert.Equal(expected, answer.Predictions[i].Outputs);
            Assert.Equal(TensorPrimitives.IndexOfMax<float>(expected), answer.Predictions[i].Class);
            Assert.Equal(engine.ClassNames![TensorPrimitives.IndexOfMax<float>(expected)], answer.Predictions[i].Label);
        }
        using var json = JsonDocument.Parse(text);
        Assert.Equal(["modelId", "predictions"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["outputs", "class", "label"], json.RootElement.GetProperty("predictions")[0].EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("""{ "model": "xor-net", "inputs": [[0, 0], [1, 2, 3]] }""", HttpStatusCode.BadRequest, "inputs[1]", "Expected 2 values")]
    [InlineData("""{ "model": "xor-net", "inputs": [[0, 0], null] }""", HttpStatusCode.BadRequest, "inputs[1]", "expected 2 numbers")]
    [InlineData("""{ "model": "xor-net", "inputs": [[0, 0], 7] }""", HttpStatusCode.BadRequest, "inputs[1]", "array")]
    [InlineData("""{ "model": "xor-net", "inputs": [[0, "x"]] }""", HttpStatusCode.BadRequest, "inputs[0][1]", "number")]
    [InlineData("""{ "model": "xor-net", "inputs": [[0, 1e39]] }""", HttpStatusCode.BadRequest, "inputs[0][1]", "finite")]
    [InlineData("""{ "model": "xor-net", "inputs": [[0, 1,]] }""", HttpStatusCode.BadRequest, "inputs[0][2]", "")]
    [InlineData("""{ "model": "xor-net", "inputs": [[0, 1]""", HttpStatusCode.BadRequest, "inputs", "")]
    [InlineData("""{ "model": "xor-net", "inputs": [] }""", HttpStatusCode.BadRequest, "inputs", "Required")]
    [InlineData("""{ "model": "xor-net", "inputs": [[0,0],[0,0],[0,0],[0,0],[0,0],[0,0]] }""", HttpStatusCode.BadRequest, "inputs", "At most 5 rows")]
    [InlineData("""{ "model": 12, "inputs": [[0, 0]] }""", HttpStatusCode.BadRequest, "model", "string")]
    [InlineData("""{ "model": "  ", "inputs": [[0, 0]] }""", HttpStatusCode.BadRequest, "model", "Required")]
    [InlineData("""{ "model": "nope", "inputs": [[0, 0]] }""", HttpStatusCode.NotFound, "id", "nope")]
    [InlineData("""[[0, 0]]""", HttpStatusCode.BadRequest, "body", "object")]
    [InlineData("""{ "model": "xor-net", "inputs": [[0, 0]] } trailing""", HttpStatusCode.BadRequest, "body", "")]
    [InlineData("", HttpStatusCode.BadRequest, "body", "JSON body")]
    public async Task A_bad_json_body_names_the_field_as_before(string body, HttpStatusCode status, string field, string says)
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Limits:MaxPredictRows"] = "5" });
        var client = factory.CreateClient();
        await client.ImportAsync(PredictClient.XorModel(), "xor-net");

        var response = await client.PostAsync("/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out var messages), $"'{field}' is not named in {text}");
        Assert.Contains(says, messages[0].GetString());
    }

    [Fact]
    public void The_fast_float_parser_agrees_with_the_framework_on_every_number_it_is_given()
    {
        var random = new Random(7);
        var texts = new List<string> { "0", "-0", "1", "0.5", "1e-45", "1.4e-45", "3.4028235e38", "3.4028236e38", "1e39", "16777217",
            "0.000000000000000000000000000000000000011754943", "123456789012345678901234567890", "9007199254740993", "1E+2", "2.5e-3" };
        for (int i = 0; i < 20_000; i++)
        {
            float value = BitConverter.Int32BitsToSingle(random.Next());
            if (!float.IsFinite(value)) continue;
            texts.Add(value.ToString("R", CultureInfo.InvariantCulture));
            texts.Add((random.NextDouble() * Math.Pow(10, random.Next(-12, 12))).ToString(CultureInfo.InvariantCulture));
            texts.Add((random.Next(0, 256) / 255f).ToString("R", CultureInfo.InvariantCulture)); // pixels, as MNIST bodies send them
            // Decimal strings near float midpoints: 9 digits and more.
            texts.Add(((decimal)random.Next(1, 1 << 24) / (decimal)Math.Pow(10, random.Next(0, 12)) + 0.00000000005m).ToString(CultureInfo.InvariantCulture));
        }
        foreach (var text in texts)
        {
            Assert.True(JsonFloat.TryParse(Encoding.UTF8.GetBytes(text), out float fast), text);
            float expected = float.Parse(text, CultureInfo.InvariantCulture);
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(fast), $"{text}: {fast:R} != {expected:R}");
        }
        Assert.False(JsonFloat.TryParse("abc"u8, out _));
        Assert.False(JsonFloat.TryParse("1.2.3"u8, out _));
    }
}
