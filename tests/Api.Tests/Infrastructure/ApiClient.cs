using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>Calls the service the way a client would, with the wire JSON conventions.</summary>
public static class ApiClient
{
    public static JsonSerializerOptions Json => ContractJson.Options;

    public static async Task<Job> SubmitJobAsync(this HttpClient client, SubmitJobRequest request)
    {
        var response = await client.PostAsJsonAsync("/api/jobs", request, Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"submit: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<Job>(body, Json)!;
    }

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

    /// <summary>Polls the job every 50 ms until <paramref name="done"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task<Job> WaitForJobAsync(this HttpClient client, string id, Func<Job, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await client.GetAsync<Job>($"/api/jobs/{id}");
            if (done(job)) return job;
            if (clock.Elapsed > timeout)
                Assert.Fail($"job {id} did not get there within {timeout}: status {job.Status}, epoch {job.Epoch}/{job.Epochs}, error {job.Error}");
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
        var response = await client.PostAsync("/api/datasets", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<DatasetInfo>(body, Json)!;
    }
}
