using System.Net;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;
using BackpropService.Tests.Shared;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.TestHost;

namespace BackpropService.Api.Tests.Access;

/// <summary>Revocation holds from the moment it commits; the hub needs a train key.</summary>
public sealed class RevocationAndHubAccessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_request_right_after_the_revocation_commits_gets_401_even_though_the_key_was_held_in_memory()
    {
        await using var factory = _database.CreateFactory();
        using var admin = factory.CreateClient();
        var key = await new KeyClient(admin).CreateAsync("soon-revoked", ApiKeyScope.Predict);
        using var client = factory.CreateClientWithKey(key.Key);
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/models")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/keys/{key.Id}")).StatusCode);

        var after = await client.GetAsync("/api/models");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", await after.Content.ReadAsStringAsync());
        var listed = await admin.GetAsync<List<ApiKeyInfo>>("/api/keys");
        Assert.NotNull(Assert.Single(listed, k => k.Id == key.Id).RevokedAt);
    }

    [Fact]
    public async Task Requests_racing_a_revocation_are_all_refused_once_it_has_committed()
    {
        await using var factory = _database.CreateFactory();
        using var admin = factory.CreateClient();
        var key = await new KeyClient(admin).CreateAsync("raced", ApiKeyScope.Predict);
        int committed = 0;
        var lateAnswers = new List<HttpStatusCode>();
        using var stop = new CancellationTokenSource();

        async Task HammerAsync()
        {
            using var client = factory.CreateClientWithKey(key.Key);
            while (!stop.IsCancellationRequested)
            {
                bool startedAfterCommit = Volatile.Read(ref committed) == 1;
                var status = (await client.GetAsync("/api/models")).StatusCode;
                if (!startedAfterCommit) continue;
                lock (lateAnswers) lateAnswers.Add(status);
                if (lateAnswers.Count >= 50) stop.Cancel();
            }
        }

        var hammers = Enumerable.Range(0, 4).Select(_ => Task.Run(HammerAsync)).ToList();
        using (var client = factory.CreateClientWithKey(key.Key))
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/models")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/keys/{key.Id}")).StatusCode);
        Volatile.Write(ref committed, 1);
        await Task.WhenAll(hammers).WaitAsync(Timeout);

        Assert.NotEmpty(lateAnswers);
        Assert.All(lateAnswers, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
    }

    [Fact]
    public async Task The_hub_refuses_a_connection_without_a_key()
    {
        await using var factory = _database.CreateFactory();
        await using var hub = Connect(factory.Server, key: null);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_predict_only_key_cannot_join_the_hub()
    {
        await using var factory = _database.CreateFactory();
        using var admin = factory.CreateClient();
        var key = await new KeyClient(admin).CreateAsync("predict-only", ApiKeyScope.Predict);
        await using var hub = Connect(factory.Server, key.Key);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_train_key_sent_as_access_token_receives_every_epoch_of_a_job()
    {
        await using var factory = _database.CreateFactory();
        using var admin = factory.CreateClient();
        var key = await new KeyClient(admin).CreateAsync("watcher", ApiKeyScope.Train);
        using var trainer = factory.CreateClientWithKey(key.Key);

        // Listen to every job's updates before submitting, so the final JobUpdated cannot be missed however fast the job is.
        await using var hub = Connect(factory.Server, key.Key);
        var live = new List<int>();
        var updates = System.Threading.Channels.Channel.CreateUnbounded<Job>();
        hub.On<EpochMetrics>(TrainingHubMethods.EpochCompleted, m => { lock (live) live.Add(m.Epoch); });
        hub.On<Job>(TrainingHubMethods.JobUpdated, j => updates.Writer.TryWrite(j));
        await hub.StartAsync();
        await hub.InvokeAsync(TrainingHubMethods.SubscribeToJobs);
        var job = await trainer.SubmitJobAsync(XorJobs.Request("hub-access", epochs: 30));
        var stored = await hub.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, job.Id);
        using var timeout = new CancellationTokenSource(Timeout);
        Job final;
        do final = await updates.Reader.ReadAsync(timeout.Token);
        while (final.Id != job.Id || final.Status is JobStatus.Queued or JobStatus.Running);

        Assert.Equal(JobStatus.Succeeded, final.Status);
        lock (live)
            Assert.Equal(Enumerable.Range(1, 30), stored.Select(m => m.Epoch).Concat(live).Order());
    }

    /// <summary>
    /// A hub client over long polling; the key goes in the <c>access_token</c> query parameter, as browsers'
    /// WebSockets send it (the client puts it in the Authorization header for HTTP transports, so add it by hand).
    /// </summary>
    private static HubConnection Connect(TestServer server, string? key) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, TrainingHubMethods.Path + (key is null ? "" : $"?access_token={Uri.EscapeDataString(key)}")), options =>
            {
                options.Transports = HttpTransportType.LongPolling;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
            })
            .AddJsonProtocol(options => ContractJson.Configure(options.PayloadSerializerOptions))
            .Build();
}
