using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;

namespace BackpropService.Web.Tests.Infrastructure;

/// <summary>Sets up data through the service's public REST API, the way any client would.</summary>
public static class ServiceCalls
{
    private static JsonSerializerOptions Json => ContractJson.Options;

    public static async Task<Job> SubmitJobAsync(this HttpClient http, SubmitJobRequest request)
    {
        var response = await http.PostAsJsonAsync("api/jobs", request, Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"submit: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<Job>(body, Json)!;
    }

    public static async Task<T> GetAsync<T>(this HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static Task CancelJobAsync(this HttpClient http, string id) => http.PostAsync($"api/jobs/{id}/cancel", null);

    /// <summary>Polls the job until it has finished (the API has no push for plain HTTP clients); fails after <paramref name="timeout"/>.</summary>
    public static async Task<Job> WaitUntilFinishedAsync(this HttpClient http, string id, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await http.GetAsync<Job>($"api/jobs/{id}");
            if (!(job.Status is JobStatus.Queued or JobStatus.Running)) return job;
            Assert.True(clock.Elapsed < timeout, $"job {id} still {job.Status} at epoch {job.Epoch}/{job.Epochs} after {timeout}");
            await Task.Delay(100);
        }
    }

    public static async Task<DatasetInfo> UploadIdxAsync(this HttpClient http, string imagesPath, string labelsPath, string name)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(imagesPath)), "images", Path.GetFileName(imagesPath));
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(labelsPath)), "labels", Path.GetFileName(labelsPath));
        form.Add(new StringContent(name), "name");
        var response = await http.PostAsync("api/datasets", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<DatasetInfo>(body, Json)!;
    }
}
