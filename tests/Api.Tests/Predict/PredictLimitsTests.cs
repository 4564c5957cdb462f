using System.Net;
using System.Text.Json;
using BackpropService.Api.Models;
using BackpropService.Api.Persistence;
using BackpropService.Api.Predict;
using BackpropService.Api.Tests.Access;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Predict;

/// <summary>
/// The predict routes' limits (<c>Limits:Predict</c>): a token bucket per API key (429), a bound on predictions
/// computed at once (503) and a time limit per request (504), each answered with problem details naming its setting.
/// The compute slots are taken by the test itself through the service's <see cref="PredictComputeLimiter"/>, which is
/// what concurrent computations would do, so saturation is reached without timing.
/// </summary>
public sealed class PredictLimitsTests
{
    private static readonly float[][] Corner = [[1f, -1f]];

    [Fact]
    public async Task A_key_past_its_burst_gets_429_with_retry_after_on_both_routes_while_another_key_still_gets_200()
    {
        using var database = new TempDatabase();
        // Three requests per key, then one token every 1,000 s: nothing refills during the test.
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["Limits:Predict:PermitsPerSecond"] = "0.001",
            ["Limits:Predict:Burst"] = "3",
        });
        var admin = factory.CreateClient();
        var model = await admin.ImportAsync(PredictClient.XorModel(), "xor-net");
        var keys = new KeyClient(admin);
        var busy = factory.CreateClientWithKey((await keys.CreateAsync("busy", ApiKeyScope.Predict)).Key);
        var quiet = factory.CreateClientWithKey((await keys.CreateAsync("quiet", ApiKeyScope.Predict)).Key);

        for (int i = 0; i < 3; i++) await busy.PredictJsonAsync("/predict", new PredictRequest("xor-net", Corner));
        // The bucket is the key's, whichever predict route it calls.
        var refused = await busy.PostAsync($"/api/models/{model.Id}/predict", PredictClient.Binary(PredictClient.BinaryBody(null, Corner)));

        string body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)refused.StatusCode} {body}");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 1000); // a token every 1,000 s
        string detail = Detail(body);
        Assert.Contains("Limits:Predict:PermitsPerSecond", detail);
        Assert.Contains("Limits:Predict:Burst", detail);

        // Another key has its own bucket, and the busy key's other calls are not rate limited.
        await quiet.PredictJsonAsync("/predict", new PredictRequest("xor-net", Corner));
        Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync($"/api/models/{model.Id}")).StatusCode);
    }

    [Fact]
    public async Task With_every_compute_slot_and_the_queue_taken_a_request_gets_503_with_retry_after_and_a_queued_one_runs_when_a_slot_frees()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["Limits:Predict:Concurrency"] = "1",
            ["Limits:Predict:QueueLength"] = "1",
        });
        var client = factory.CreateClient();
        await client.ImportAsync(PredictClient.XorModel(), "xor-net");
        var limiter = factory.Services.GetRequiredService<PredictComputeLimiter>();

        var slot = await limiter.AcquireAsync(CancellationToken.None);
        Assert.True(slot.IsAcquired);
        var queued = client.PostAsync("/predict", PredictClient.Binary(PredictClient.BinaryBody("xor-net", Corner)));
        await QueuedAsync(limiter, 1);

        var refused = await client.PostAsync("/predict", PredictClient.Binary(PredictClient.BinaryBody("xor-net", Corner)));
        string body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)refused.StatusCode} {body}");
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("Limits:Predict:Concurrency", Detail(body));
        Assert.False(queued.IsCompleted);

        slot.Dispose();
        var answer = await queued.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Single(PredictClient.ReadAnswer(await answer.Content.ReadAsByteArrayAsync()).Outputs);
    }

    [Fact]
    public async Task A_request_still_waiting_for_a_compute_slot_at_its_timeout_gets_504_and_leaves_the_queue()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["Limits:Predict:Concurrency"] = "1",
            ["Limits:Predict:QueueLength"] = "1",
            ["Limits:Predict:TimeoutSeconds"] = "0.2",
        });
        var client = factory.CreateClient();
        await client.ImportAsync(PredictClient.XorModel(), "xor-net");
        var limiter = factory.Services.GetRequiredService<PredictComputeLimiter>();

        using (var slot = await limiter.AcquireAsync(CancellationToken.None))
        {
            var response = await client.PostAsync("/predict", PredictClient.Binary(PredictClient.BinaryBody("xor-net", Corner)));

            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.GatewayTimeout, $"{(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Limits:Predict:TimeoutSeconds", Detail(body));
            Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
        }
        // The slot is back; the next request is answered.
        await client.PredictJsonAsync("/predict", new PredictRequest("xor-net", Corner));
    }

    [Fact]
    public void The_compute_stops_before_its_next_row_once_the_request_is_cancelled()
    {
        var model = LoadedModel.Create(
            new ModelEntity { Id = "m", Name = "xor-net", Layers = "[]", Task = LearningTask.Classification },
            TrainedModel.FromBytes(PredictClient.XorModel()));
        using var rows = new PredictRows();
        for (int i = 0; i < 3; i++) rows.AddRow([1f, -1f]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => PredictOutputs.Compute(model, rows, cancelled.Token));
        using var outputs = PredictOutputs.Compute(model, rows, CancellationToken.None);
        Assert.Equal(3, outputs.Rows);
    }

    private static string Detail(string problem)
    {
        using var document = JsonDocument.Parse(problem);
        return document.RootElement.GetProperty("detail").GetString()!;
    }

    /// <summary>Waits until <paramref name="count"/> predictions wait for a slot (the limiter raises no event for it).</summary>
    private static async Task QueuedAsync(PredictComputeLimiter limiter, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (limiter.GetStatistics()!.CurrentQueuedCount < count) await Task.Delay(10, timeout.Token);
    }
}
