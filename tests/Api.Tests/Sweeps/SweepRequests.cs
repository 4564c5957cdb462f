using System.Diagnostics;
using System.Net;
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

    public static async Task<Sweep> SubmitSweepAsync(this HttpClient client, string json)
    {
        var response = await client.PostSweepAsync(json);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"sweep: {(int)response.StatusCode} {body}");
        var sweep = JsonSerializer.Deserialize<Sweep>(body, ApiClient.Json)!;
        Assert.Equal($"/api/sweeps/{sweep.Id}", response.Headers.Location?.ToString());
        return sweep;
    }

    /// <summary>Polls the sweep every 50 ms until <paramref name="done"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task<Sweep> WaitForSweepAsync(this HttpClient client, string id, Func<Sweep, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var sweep = await client.GetAsync<Sweep>($"api/sweeps/{id}");
            if (done(sweep)) return sweep;
            if (clock.Elapsed > timeout)
                Assert.Fail($"sweep {id} did not get there within {timeout}: status {sweep.Status}, jobs {string.Join(", ", sweep.Jobs.Select(j => j.Status))}");
            await Task.Delay(50);
        }
    }

    public static bool IsFinished(Sweep sweep) => sweep.Status is not (SweepStatus.Queued or SweepStatus.Running);

    /// <summary>The problem's <c>errors</c> map of a 4xx answer.</summary>
    public static async Task<Dictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }
}
