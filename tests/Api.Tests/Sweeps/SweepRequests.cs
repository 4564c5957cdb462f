using System.Text;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>Sweep requests written as the JSON a client sends (setting paths such as <c>layers[0].size</c> are keys), and calls to /api/sweeps.</summary>
internal static class SweepRequests
{
    /// <summary>The XOR job (<see cref="XorJobs"/>) as a sweep's base request.</summary>
    public static string XorBase(int epochs) => JsonSerializer.Serialize(XorJobs.Request("base", epochs), ApiClient.Json);

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostSweepAsync(this HttpClient client, string json) => client.PostAsync("api/sweeps", Json(json));

    /// <summary>The problem's <c>errors</c> map of a 4xx answer.</summary>
    public static async Task<Dictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }
}
