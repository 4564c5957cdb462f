using System.Net;
using BackpropService.Api.Tests.Access;
using BackpropService.Api.Tests.Hubs;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Predict;
using BackpropService.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Api.Tests.Postgres.Cluster;

/// <summary>
/// Two processes act as one service over Redis (<see cref="TwoProcessCluster"/>: A trains, B only serves): B's hub
/// clients see A's training, a cancel sent to B stops A's job, and a key revoked or an alias moved through A holds on
/// B from the next request on.
/// </summary>
public sealed class CrossProcessEventTests(TwoProcessCluster cluster) : IClassFixture<TwoProcessCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly float[][] Input = [[0.5f, -0.5f]];

    [Fact]
    public async Task A_late_hub_client_on_the_other_process_sees_every_epoch_once_in_order_then_the_final_job_update()
    {
        var job = await cluster.A.CreateClient().SubmitJobAsync(TrainingHubTests.SlowSpirals(epochs: 40));

        // The first client on B only tells the test when epoch 3 is done: what it hears comes from A over Redis.
        await using var early = cluster.B.CreateHubConnection();
        var epochThree = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        early.On<EpochMetrics>(TrainingHubMethods.EpochCompleted, m =>
        {
            if (m.Epoch >= 3) epochThree.TrySetResult();
        });
        await early.StartAsync();
        await early.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, job.Id);
        await epochThree.Task.WaitAsync(Timeout);

        // The late client on B records everything it receives, in arrival order.
        await using var late = cluster.B.CreateHubConnection();
        var received = new HubRecording(late);
        await late.StartAsync();
        var stored = await late.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, job.Id);

        var (live, final) = await received.UntilFinishedAsync(Timeout);

        Assert.True(final.Status == JobStatus.Succeeded, $"{final.Status}: {final.Error}\n{cluster.A.Output}");
        Assert.True(stored.Count >= 3, $"the late subscriber should get the first epochs back, got {stored.Count}");
        Assert.NotEmpty(live);
        Assert.Equal(Enumerable.Range(1, 40), stored.Concat(live).Select(m => m.Epoch));
        Assert.All(stored.Concat(live), m => Assert.Equal(job.Id, m.JobId));
        Assert.Equal(40, final.Epoch);
        Assert.False(received.TryReadMore(out var extra), $"unexpected event after the final JobUpdated: {extra}");
    }

    [Fact]
    public async Task A_job_submitted_through_the_process_that_does_not_train_starts_without_waiting_for_the_poll()
    {
        // A polls once an hour (the fixture), so only B's "queued" message can start the job within the timeout.
        var b = cluster.B.CreateClient();
        var dataset = await LongJobs.UploadAsync(b);
        var job = await b.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 1, name: "woken through b"));

        var finished = await b.WaitUntilFinishedAsync(job.Id, Timeout);
        Assert.True(finished.Status == JobStatus.Succeeded, $"{finished.Status}: {finished.Error}\n{cluster.A.Output}");
    }

    [Fact]
    public async Task A_cancel_sent_to_the_process_that_does_not_train_the_job_stops_it()
    {
        var a = cluster.A.CreateClient();
        var b = cluster.B.CreateClient();
        var dataset = await LongJobs.UploadAsync(a);
        var job = await a.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 500, name: "cancelled through b"));
        await b.WaitForJobAsync(job.Id, j => j is { Status: JobStatus.Running, Epoch: >= 1 }, Timeout);

        var cancel = await b.PostAsync($"api/jobs/{job.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);

        var finished = await b.WaitUntilFinishedAsync(job.Id, Timeout);
        Assert.True(finished.Status == JobStatus.Cancelled, $"{finished.Status}: {finished.Error}\n{cluster.A.Output}");
        Assert.True(finished.Epoch < 500, $"the job ran all {finished.Epoch} epochs");
    }

    [Fact]
    public async Task A_key_revoked_through_one_process_is_refused_by_the_other_on_its_next_request()
    {
        var admin = cluster.A.CreateClient();
        var key = await new KeyClient(admin).CreateAsync("revoked through a", ApiKeyScope.Predict);
        using var onB = new HttpClient { BaseAddress = cluster.B.BaseAddress };
        onB.DefaultRequestHeaders.Authorization = new("Bearer", key.Key);
        // B holds the key in memory after its first successful request.
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("api/models")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/keys/{key.Id}")).StatusCode);

        var after = await onB.GetAsync("api/models");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_alias_moved_through_one_process_moves_the_other_process_next_predict()
    {
        var a = cluster.A.CreateClient();
        var b = cluster.B.CreateClient();
        var v1 = await a.ImportAsync(PredictClient.XorModel(seed: 1), "moved");
        var v2 = await a.ImportAsync(PredictClient.XorModel(seed: 2), "moved");
        await AliasTests.SetAliasAsync(a, "moved", "prod", 1);
        // B holds moved@prod = version 1 (and the bare name = version 2) in memory.
        for (int i = 0; i < 3; i++) Assert.Equal(v1.Id, await PredictedModelAsync(b, "moved@prod"));
        Assert.Equal(v2.Id, await PredictedModelAsync(b, "moved"));

        await AliasTests.SetAliasAsync(a, "moved", "prod", 2);
        Assert.Equal(v2.Id, await PredictedModelAsync(b, "moved@prod"));

        // A new version stored through A is B's bare name at once.
        var v3 = await a.ImportAsync(PredictClient.XorModel(seed: 3), "moved");
        Assert.Equal(v3.Id, await PredictedModelAsync(b, "moved"));
    }

    private static async Task<string> PredictedModelAsync(HttpClient client, string model) =>
        (await client.PredictJsonAsync("predict", new PredictRequest(model, Input))).ModelId;
}
