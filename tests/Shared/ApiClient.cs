using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;
using Xunit;

namespace BackpropService.Tests.Shared;

/// <summary>
/// Calls the service through its public REST API the way any client would, with the wire JSON conventions.
/// Compiled into Api.Tests and Web.Tests. Paths are relative, so a client whose base address has a path works too.
/// </summary>
public static class ApiClient
{
    public static JsonSerializerOptions Json => ContractJson.Options;

    public static async Task<Job> SubmitJobAsync(this HttpClient client, SubmitJobRequest request)
    {
        var response = await client.PostAsJsonAsync("api/jobs", request, Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"submit: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<Job>(body, Json)!;
    }

    /// <summary>Posts a sweep written as JSON (setting paths such as <c>layers[0].size</c> are keys); asserts 202 and its Location.</summary>
    public static async Task<Sweep> SubmitSweepAsync(this HttpClient client, string json)
    {
        var response = await client.PostAsync("api/sweeps", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"sweep: {(int)response.StatusCode} {body}");
        var sweep = JsonSerializer.Deserialize<Sweep>(body, Json)!;
        Assert.Equal($"/api/sweeps/{sweep.Id}", response.Headers.Location?.ToString());
        return sweep;
    }

    /// <summary>Polls the sweep every 50 ms until <paramref name="done"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static Task<Sweep> WaitForSweepAsync(this HttpClient client, string id, Func<Sweep, bool> done, TimeSpan timeout) =>
        client.PollAsync($"api/sweeps/{id}", done, timeout,
            sweep => $"sweep {id} did not get there within {timeout}: status {sweep.Status}, jobs {string.Join(", ", sweep.Jobs.Select(j => j.Status))}");

    public static Task<Sweep> WaitUntilSweepFinishedAsync(this HttpClient client, string id, TimeSpan timeout) =>
        client.WaitForSweepAsync(id, s => s.Status is not (SweepStatus.Queued or SweepStatus.Running), timeout);

    public static async Task<T> GetAsync<T>(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static async Task<T> PostAsync<T>(this HttpClient client, string url, object request)
    {
        var response = await client.PostAsJsonAsync(url, request, Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static Task CancelJobAsync(this HttpClient client, string id) => client.PostAsync($"api/jobs/{id}/cancel", null);

    /// <summary>Polls the job every 50 ms until <paramref name="done"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static Task<Job> WaitForJobAsync(this HttpClient client, string id, Func<Job, bool> done, TimeSpan timeout) =>
        client.PollAsync($"api/jobs/{id}", done, timeout,
            job => $"job {id} did not get there within {timeout}: status {job.Status}, epoch {job.Epoch}/{job.Epochs}, error {job.Error}");

    /// <summary>GETs <paramref name="url"/> every 50 ms until <paramref name="done"/> holds; after <paramref name="timeout"/> fails saying <paramref name="stuck"/>.</summary>
    private static async Task<T> PollAsync<T>(this HttpClient client, string url, Func<T, bool> done, TimeSpan timeout, Func<T, string> stuck)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var item = await client.GetAsync<T>(url);
            if (done(item)) return item;
            if (clock.Elapsed > timeout) Assert.Fail(stuck(item));
            await Task.Delay(50);
        }
    }

    public static Task<Job> WaitUntilFinishedAsync(this HttpClient client, string id, TimeSpan timeout) =>
        client.WaitForJobAsync(id, j => j.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled, timeout);

    public static async Task<DatasetInfo> UploadCsvAsync(this HttpClient client, string csv, string fileName = "data.csv",
        string? name = null, string? task = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(csv), "file", fileName);
        if (name is not null) form.Add(new StringContent(name), "name");
        if (task is not null) form.Add(new StringContent(task), "task");
        return await UploadAsync(client, form);
    }

    public static async Task<DatasetInfo> UploadIdxAsync(this HttpClient client, string imagesPath, string labelsPath, string name)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(imagesPath)), "images", Path.GetFileName(imagesPath));
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(labelsPath)), "labels", Path.GetFileName(labelsPath));
        form.Add(new StringContent(name), "name");
        return await UploadAsync(client, form);
    }

    private static async Task<DatasetInfo> UploadAsync(HttpClient client, MultipartFormDataContent form)
    {
        var response = await client.PostAsync("api/datasets", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<DatasetInfo>(body, Json)!;
    }
}
