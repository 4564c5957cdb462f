using System.Threading.Channels;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Hubs;

/// <summary>The live-update hub, through a real <see cref="HubConnection"/> against the in-process server.</summary>
public sealed class TrainingHubTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_client_subscribing_after_epoch_two_gets_earlier_epochs_back_and_later_ones_live_each_once_in_order_then_the_final_job_update()
    {
        await using var factory = _database.CreateFactory();
        using var http = factory.CreateClient();
        var job = await http.SubmitJobAsync(SlowSpirals(epochs: 60));

        // The first client only tells the test when epoch 2 is done.
        await using var early = Connect(factory.Server);
        var epochTwo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        early.On<EpochMetrics>(TrainingHubMethods.EpochCompleted, m =>
        {
            if (m.Epoch >= 2) epochTwo.TrySetResult();
        });
        await early.StartAsync();
        await early.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, job.Id);
        await epochTwo.Task.WaitAsync(Timeout);

        // The late client records everything it receives, in arrival order.
        await using var late = Connect(factory.Server);
        var received = new HubRecording(late);
        await late.StartAsync();
        var stored = await late.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, job.Id);

        var (live, final) = await received.UntilFinishedAsync(Timeout);

        Assert.Equal(JobStatus.Succeeded, final.Status);
        Assert.True(stored.Count >= 2, $"the late subscriber should get the first epochs back, got {stored.Count}");
        Assert.NotEmpty(live);
        var all = stored.Concat(live).Select(m => m.Epoch).ToList();
        Assert.Equal(Enumerable.Range(1, final.Epoch), all);
        Assert.Equal(60, final.Epoch);
        Assert.All(stored.Concat(live), m => Assert.Equal(job.Id, m.JobId));
        // Nothing after the final update.
        Assert.False(received.TryReadMore(out var extra), $"unexpected event after the final JobUpdated: {extra}");
    }

    [Fact]
    public async Task Subscribing_to_an_unknown_job_fails_with_a_message_naming_it()
    {
        await using var factory = _database.CreateFactory();
        await using var connection = Connect(factory.Server);
        await connection.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() =>
            connection.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, "no-such-job"));
        Assert.Contains("no-such-job", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_subscribed_to_all_jobs_and_to_one_job_gets_each_job_update_once()
    {
        await using var factory = _database.CreateFactory();
        using var http = factory.CreateClient();
        await using var connection = Connect(factory.Server);
        var updates = Channel.CreateUnbounded<Job>();
        connection.On<Job>(TrainingHubMethods.JobUpdated, j => updates.Writer.TryWrite(j));
        await connection.StartAsync();
        await connection.InvokeAsync(TrainingHubMethods.SubscribeToJobs);

        var job = await http.SubmitJobAsync(SlowSpirals(epochs: 3));
        await connection.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, job.Id);

        var seen = new List<Job>();
        using var timeout = new CancellationTokenSource(Timeout);
        while (seen.LastOrDefault()?.Status is not (JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled))
            seen.Add(await updates.Reader.ReadAsync(timeout.Token));

        // queued (submit), running (claimed), succeeded: each once, even though the connection is in both groups.
        Assert.Equal([JobStatus.Queued, JobStatus.Running, JobStatus.Succeeded], seen.Select(j => j.Status));
    }

    [Fact]
    public async Task A_connection_may_follow_only_as_many_jobs_as_the_limit_and_is_told_how_to_free_one()
    {
        await using var factory = _database.CreateFactory(new Dictionary<string, string?> { ["LiveUpdates:MaxSubscriptionsPerConnection"] = "2" });
        using var http = factory.CreateClient();
        var first = await http.SubmitJobAsync(SlowSpirals(epochs: 1));
        var second = await http.SubmitJobAsync(SlowSpirals(epochs: 1));
        var third = await http.SubmitJobAsync(SlowSpirals(epochs: 1));
        await using var connection = Connect(factory.Server);
        await connection.StartAsync();

        await connection.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, first.Id);
        await connection.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, second.Id);
        // Subscribing again to a job it follows takes no second place.
        await connection.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, first.Id);

        var error = await Assert.ThrowsAsync<HubException>(() =>
            connection.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, third.Id));
        Assert.Contains("already follows 2 jobs", error.Message, StringComparison.Ordinal);
        Assert.Contains("UnsubscribeFromJob", error.Message, StringComparison.Ordinal);

        await connection.InvokeAsync(TrainingHubMethods.UnsubscribeFromJob, first.Id);
        await connection.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, third.Id);
    }

    /// <summary>Spirals with a wide network and small batches: a few tens of milliseconds per epoch.</summary>
    /// <summary>Spirals through a wide network in batches of 4: an epoch takes long enough to subscribe between two.</summary>
    internal static SubmitJobRequest SlowSpirals(int epochs) => new()
    {
        Name = "hub-test",
        DatasetId = "spirals",
        Layers = [new LayerDefinition(128, Activation.Tanh), new LayerDefinition(128, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
        Cost = Cost.CrossEntropy,
        Optimizer = Optimizer.Adam,
        LearningRate = 0.01,
        BatchSize = 4,
        Epochs = epochs,
        Seed = 7,
    };

    private static HubConnection Connect(TestServer server) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, TrainingHubMethods.Path), options =>
            {
                options.Transports = HttpTransportType.LongPolling;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                options.AccessTokenProvider = () => Task.FromResult<string?>(ServiceFactory.AdminKey);
            })
            .AddJsonProtocol(options => ContractJson.Configure(options.PayloadSerializerOptions))
            .Build();
}
