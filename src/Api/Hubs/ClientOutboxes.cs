using System.Collections.Concurrent;
using BackpropService.Api.Options;
using BackpropService.Api.Training;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Hubs;

/// <summary>The <see cref="ClientOutbox"/> of every connection of <see cref="TrainingHub"/> in this process.</summary>
public sealed class ClientOutboxes(
    IHubContext<TrainingHub, ITrainingClient> hub,
    IOptions<LiveUpdateOptions> options,
    ILogger<ClientOutbox> logger)
{
    private readonly ConcurrentDictionary<string, ClientOutbox> _outboxes = new();

    /// <summary>Gives a connection that just connected its outbox.</summary>
    public void Open(HubCallerContext connection) =>
        _outboxes[connection.ConnectionId] = new ClientOutbox(
            connection, hub.Clients.Client(connection.ConnectionId), options.Value.MaxQueuedEventsPerConnection, logger);

    /// <summary>Drops the outbox of a connection that went away.</summary>
    public void Close(string connectionId)
    {
        if (_outboxes.TryRemove(connectionId, out var outbox)) outbox.Close();
    }

    /// <summary>Queues an event for one connection without waiting for it to be sent.</summary>
    public void Post(string connectionId, TrainingEvent trainingEvent)
    {
        if (_outboxes.TryGetValue(connectionId, out var outbox)) outbox.Post(trainingEvent);
    }
}
