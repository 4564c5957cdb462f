using System.Net;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Predict;

/// <summary>
/// An output that is not a finite number (JSON has no spelling for NaN or ±∞) is refused with the same 422 in both
/// formats, naming the row; it was a 500 in JSON and a 200 carrying +∞ in binary.
/// </summary>
public sealed class NonFiniteOutputTests
{
    /// <summary>y = 2x: finite for 1 and 1e38, +∞ for 3e38 (float's largest is 3.4e38), −∞ for −3e38.</summary>
    private static readonly float[][] Rows = [[1f], [1e38f], [3e38f], [-3e38f]];

    [Fact]
    public async Task An_input_whose_output_overflows_gets_a_422_naming_its_row_in_json_and_in_binary()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        await client.ImportAsync(PredictClient.ScalingModel(weight: 2), "doubler");

        var json = await client.PostAsync("/predict", new StringContent(
            JsonSerializer.Serialize(new PredictRequest("doubler", Rows), ApiClient.Json), System.Text.Encoding.UTF8, "application/json"));
        var binary = await client.PostAsync("/predict", PredictClient.Binary(PredictClient.BinaryBody("doubler", Rows)));

        foreach (var response in new[] { json, binary })
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(body);
            string detail = problem.RootElement.GetProperty("detail").GetString()!;
            Assert.StartsWith("inputs[2]: ", detail);
            Assert.Contains("is +Infinity, not a finite number", detail);
            Assert.Contains("check the input's scale", detail, StringComparison.OrdinalIgnoreCase);
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("inputs[2]", out _), body);
        }
        // The two formats say the same thing.
        Assert.Equal(
            JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(),
            JsonDocument.Parse(await binary.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());

        // Below the overflow the same model answers, and a negative overflow is named as such.
        var finite = await client.PredictJsonAsync("/predict", new PredictRequest("doubler", Rows[..2]));
        Assert.Equal([2f, 2e38f], finite.Predictions.Select(p => p.Outputs[0]));
        var negative = await client.PostAsync("/predict", PredictClient.Binary(PredictClient.BinaryBody("doubler", [Rows[0], Rows[3]])));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, negative.StatusCode);
        using var negativeProblem = JsonDocument.Parse(await negative.Content.ReadAsStringAsync());
        Assert.StartsWith("inputs[1]: The model's output 0 for this row is -Infinity", negativeProblem.RootElement.GetProperty("detail").GetString());
    }
}
