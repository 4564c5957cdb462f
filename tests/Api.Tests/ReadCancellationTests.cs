using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Models;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

/// <summary>
/// A client that gives up on a request that reads a whole dataset stops the work, on the real server (Kestrel, in a
/// child process): its connection closes, the request's cancellation reaches the evaluation, and its turn at the
/// dataset-read limiter (<c>Limits:DatasetReadConcurrency</c>) is free again for the next caller.
/// </summary>
public sealed class ReadCancellationTests
{
    [Fact]
    public async Task A_client_that_gives_up_on_an_evaluation_frees_its_turn_long_before_the_evaluation_could_have_ended()
    {
        using var database = new TempDatabase();
        // One dataset read at a time and nobody waiting: a second read is refused (503) exactly while the first runs.
        await using var service = await ServiceProcess.StartAsync(database, new Dictionary<string, string?>
        {
            ["Limits:DatasetReadConcurrency"] = "1",
            ["Limits:DatasetReadQueue"] = "0",
            ["Training:WarmUp"] = "false",
        });
        var admin = service.CreateClient();
        var small = await admin.UploadCsvAsync("x,label\n0,class0\n1,class1\n", name: "small");

        // 20 → 2200 → 2200 → 2 (4,892,802 parameters, under Limits:MaxParameters) over 2,000,000 rows: about
        // 2 × 4.9M × 2M ≈ 2·10¹³ floating-point operations, minutes of work on any machine, so a turn that comes back
        // within the wait below can only come back because the evaluation stopped.
        using var modelFile = new StreamedModelFile(inputs: 20, layerSizes: [2200, 2200, 2]);
        var imported = await admin.PostAsync("api/models?name=wide", modelFile);
        Assert.True(imported.StatusCode == HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var model = (await imported.Content.ReadFromJsonAsync<ModelInfo>(ApiClient.Json))!;
        var big = await UploadRowsAsync(admin, rows: 2_000_000, features: 20);
        // The dataset decoded into the dataset cache and the model into the model cache now, so that the turn below is
        // held by the evaluation's compute (a caller who gives up while either is still being read from the database
        // stops that read the same way, but this test is about the compute).
        using (var warm = await admin.GetAsync($"api/datasets/{big.Id}/preview")) Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        using (var warm = await admin.PostAsJsonAsync("predict", new PredictRequest(model.Id, [new float[20]]), ApiClient.Json))
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        using var givingUp = new CancellationTokenSource();
        using var impatient = service.CreateClient();
        Task<HttpResponseMessage> Evaluate() =>
            impatient.PostAsJsonAsync($"api/models/{model.Id}/evaluate", new EvaluateRequest(big.Id), ApiClient.Json, givingUp.Token);

        // The evaluation holds the only turn once a preview is refused. (An evaluation that came while a preview held the
        // turn was refused itself: ask again.)
        var evaluation = Evaluate();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while (true)
            {
                if (evaluation.IsCompleted)
                {
                    using var ended = await evaluation;
                    Assert.True(ended.StatusCode == HttpStatusCode.ServiceUnavailable,
                        $"the evaluation ended: {(int)ended.StatusCode} {await ended.Content.ReadAsStringAsync()}");
                    evaluation = Evaluate();
                }
                using var preview = await admin.GetAsync($"api/datasets/{small.Id}/preview", timeout.Token);
                if (preview.StatusCode == HttpStatusCode.ServiceUnavailable) break;
                Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
                await Task.Delay(50, timeout.Token);
            }
        }
        givingUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => evaluation);

        // The connection closed, the evaluation stopped within one chunk, and the turn is free again.
        await WaitForPreviewAsync(admin, small.Id);
        using var live = await admin.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    /// <summary>Asks for a preview until it is answered; fails if a minute passes.</summary>
    private static async Task WaitForPreviewAsync(HttpClient client, string datasetId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            using var response = await client.GetAsync($"api/datasets/{datasetId}/preview", timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK) return;
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(timeout.Token)}");
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>A gzip CSV of <paramref name="rows"/> rows of zeros, labelled class0 and class1 in turn (a few kilobytes on the wire).</summary>
    private static async Task<DatasetInfo> UploadRowsAsync(HttpClient client, int rows, int features)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            writer.WriteLine(string.Join(',', Enumerable.Range(0, features).Select(f => $"x{f}")) + ",label");
            string zeros = string.Concat(Enumerable.Repeat("0,", features));
            for (int r = 0; r < rows; r++) writer.WriteLine(r % 2 == 0 ? zeros + "class0" : zeros + "class1");
        }
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(compressed.ToArray()), "file", "zeros.csv.gz" },
            { new StringContent("zeros"), "name" },
        };
        var response = await client.PostAsync("api/datasets", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload: {(int)response.StatusCode} {body}");
        return System.Text.Json.JsonSerializer.Deserialize<DatasetInfo>(body, ApiClient.Json)!;
    }
}
