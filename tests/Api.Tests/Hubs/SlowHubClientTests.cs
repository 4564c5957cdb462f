using System.Threading.Channels;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Hubs;

/// <summary>
/// A hub client that stops reading must not hold up anybody else's live updates. These tests run the service on a
/// real Kestrel port: the in-process test server's transport does not push back on writes the way a socket does.
/// </summary>
public sealed class SlowHubClientTests : IDisposable
{
    /// <summary>
    /// How long a client that keeps up may wait for its next event. Epochs of the job below take milliseconds; a
    /// client held up by a stalled one waits until the transport gives up on the stalled socket
    /// (<c>TransportSendTimeout</c>, 10 s), so this is well below that and far above an epoch.
    /// </summary>
    private static readonly TimeSpan NextEvent = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Setup = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_client_that_stops_reading_does_not_delay_the_epochs_and_final_update_another_client_receives()
    {
        await using var factory = _database.CreateFactory();
        var hubAddress = StartOnKestrel(factory);
        using var http = factory.CreateClient();
        var job = await http.SubmitJobAsync(ManyLargeEpochs(epochs: 1500));

        using var setup = new CancellationTokenSource(Setup);
        await using var stalled = await NonReadingHubClient.SubscribeAndStopReadingAsync(hubAddress, ServiceFactory.AdminKey, job.Id, setup.Token);

        await using var watcher = Connect(hubAddress);
        var received = Channel.CreateUnbounded<object>();
        watcher.On<EpochMetrics>(TrainingHubMethods.EpochCompleted, m => received.Writer.TryWrite(m));
        watcher.On<Job>(TrainingHubMethods.JobUpdated, j => received.Writer.TryWrite(j));
        await watcher.StartAsync(setup.Token);
        var stored = await watcher.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, job.Id, setup.Token);

        var epochs = stored.Select(m => m.Epoch).ToList();
        Job? final = null;
        while (final is null)
        {
            using var nextEvent = new CancellationTokenSource(NextEvent);
            object next;
            try
            {
                next = await received.Reader.ReadAsync(nextEvent.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no event within {NextEvent} after epoch {epochs.LastOrDefault()}: the client that stopped reading holds up the others");
                throw;
            }
            switch (next)
            {
                case EpochMetrics metrics:
                    epochs.Add(metrics.Epoch);
                    break;
                case Job { Status: JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled } finished:
                    final = finished;
                    break;
            }
        }

        Assert.Equal(JobStatus.Succeeded, final.Status);
        Assert.Equal(Enumerable.Range(1, 1500), epochs);
    }

    /// <summary>
    /// XOR through 31 layers with a big batch: a few milliseconds per epoch, and each epoch's message carries 31
    /// gradient norms (close to a kilobyte), so a stalled socket's buffers fill within the first few hundred epochs.
    /// </summary>
    private static SubmitJobRequest ManyLargeEpochs(int epochs) => new()
    {
        Name = "many-large-epochs",
        DatasetId = "xor",
        Layers = [.. Enumerable.Repeat(new LayerDefinition(4, Activation.Tanh), 30), new LayerDefinition(2, Activation.Softmax)],
        Cost = Cost.CrossEntropy,
        Optimizer = Optimizer.Adam,
        LearningRate = 0.01,
        Epochs = epochs,
        Seed = 3,
    };

    /// <summary>
    /// Starts the service on a loopback port. The listening socket gets a small send buffer, which the sockets
    /// it accepts inherit (and which turns off the kernel's growing it up to megabytes): a stalled client then
    /// backs the server up after a few hundred epochs, as a slow network would, rather than after thousands.
    /// </summary>
    private static Uri StartOnKestrel(ServiceFactory factory)
    {
        factory.TestServices = services => services.Configure<SocketTransportOptions>(options => options.CreateBoundListenSocket = endpoint =>
        {
            var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            socket.SendBufferSize = 8192;
            return socket;
        });
        factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        factory.ClientOptions.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return new Uri(factory.ClientOptions.BaseAddress, TrainingHubMethods.Path.TrimStart('/'));
    }

    private static HubConnection Connect(Uri hubAddress) =>
        new HubConnectionBuilder()
            .WithUrl(hubAddress, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(ServiceFactory.AdminKey);
            })
            .AddJsonProtocol(options => ContractJson.Configure(options.PayloadSerializerOptions))
            .Build();
}
