using System.Threading.Channels;
using BackpropService.Api.Training;
using Microsoft.AspNetCore.SignalR;

namespace BackpropService.Api.Hubs;

/// <summary>
/// The events waiting for one hub connection, sent in order by a loop of its own, so a client that stops reading
/// holds up only itself.
/// </summary>
/// <remarks>
/// Why not send to SignalR groups: a group send writes to every member and completes when the slowest write
/// does, and a write to a client that does not read waits for room in its transport buffers (a 64 KB pipe, then
/// the socket's). Measured (SlowHubClientTests, with small socket buffers so they fill after ~100 epochs): every
/// other client heard nothing for 10.5 s, until the transport's send timeout (10 s) dropped the stalled one; a
/// client that reconnects can do it again. A timeout per send would not help: the stalled connection's writes
/// queue behind each other, so every later event would wait out the timeout again. Here a send that waits
/// delays only this queue; when the queue is full the client is too far behind to catch up in order, so it is
/// disconnected (it resubscribes on reconnect and gets the stored epochs back) rather than silently given a
/// gap. A client that keeps up gets every event, in the order the forwarder posted them.
/// </remarks>
public sealed partial class ClientOutbox
{
    private readonly Channel<TrainingEvent> _queue;
    private readonly HubCallerContext _connection;
    private readonly ITrainingClient _client;
    private readonly ILogger _logger;
    private int _overflowed;

    internal ClientOutbox(HubCallerContext connection, ITrainingClient client, int capacity, ILogger logger)
    {
        _connection = connection;
        _client = client;
        _logger = logger;
        _queue = Channel.CreateBounded<TrainingEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        Sending = SendAllAsync();
    }

    /// <summary>Ends when the outbox is closed and drained.</summary>
    internal Task Sending { get; }

    /// <summary>Queues an event for the client without waiting; disconnects a client whose queue is full.</summary>
    public void Post(TrainingEvent trainingEvent)
    {
        if (_queue.Writer.TryWrite(trainingEvent)) return;
        if (Interlocked.Exchange(ref _overflowed, 1) == 1) return;
        LogTooFarBehind(_logger, _connection.ConnectionId, _queue.Reader.Count);
        _queue.Writer.TryComplete();
        _connection.Abort();
    }

    /// <summary>Stops taking events (the connection went away); the loop sends what is queued to nobody and ends.</summary>
    public void Close() => _queue.Writer.TryComplete();

    private async Task SendAllAsync()
    {
        await foreach (var trainingEvent in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await (trainingEvent switch
                {
                    EpochCompletedEvent epoch => _client.EpochCompleted(epoch.Metrics),
                    JobUpdatedEvent update => _client.JobUpdated(update.Job),
                    _ => Task.CompletedTask,
                });
            }
            catch (Exception e)
            {
                LogSendFailed(_logger, e, _connection.ConnectionId, trainingEvent.JobId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Disconnected hub connection {ConnectionId}: it fell {Queued} events behind (LiveUpdates:MaxQueuedEventsPerConnection).")]
    private static partial void LogTooFarBehind(ILogger logger, string connectionId, int queued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send an event of job {JobId} to hub connection {ConnectionId}.")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string connectionId, string jobId);
}
