using BackpropService.Api.Training;
using BackpropService.Contracts;
using StackExchange.Redis;

namespace BackpropService.Api.Cluster;

/// <summary>
/// Receives <see cref="ClusterChannel"/>, one message at a time in the order Redis delivers them, and acts on what other
/// processes did: their training events go to this process's subscribers (the hub), a cancel stops the job if it
/// trains here, a job queued through another process wakes this process's worker (<see cref="JobSignal"/>; a process
/// that trains nothing has no one to wake), a change makes the caches forget (<see cref="CacheInvalidation"/>) and is
/// acknowledged.
/// </summary>
/// <remarks>
/// While the subscription is down this process hears nothing: <see cref="ClusterChannel.Listening"/> is false (the key
/// cache is bypassed, <c>/health/ready</c> says Degraded), and once it is back every cache forgets all it holds, since
/// changes may have gone unheard in between.
/// </remarks>
public sealed partial class ClusterListener(
    IConnectionMultiplexer redis,
    ClusterChannel channel,
    ClusterTrainingEvents trainingEvents,
    JobCancellations cancellations,
    JobSignal jobSignal,
    CacheInvalidation invalidation,
    ILogger<ClusterListener> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    // Set once subscribed: connection events before that are the first connect, not a restore.
    private volatile bool _subscribed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            var queue = await SubscribeAsync(stoppingToken);
            _subscribed = true;
            channel.Listening = true;
            LogJoined(logger, channel.ProcessId);
            while (true)
            {
                var message = await queue.ReadAsync(stoppingToken);
                try
                {
                    Handle(message.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogHandleFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            channel.Listening = false;
            redis.ConnectionFailed -= OnConnectionFailed;
            redis.ConnectionRestored -= OnConnectionRestored;
        }
    }

    /// <summary>Subscribes, trying again every <see cref="RetryDelay"/> while Redis cannot be reached.</summary>
    private async Task<ChannelMessageQueue> SubscribeAsync(CancellationToken stoppingToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await redis.GetSubscriber().SubscribeAsync(ClusterChannel.Name);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                if (attempt == 1) LogUnreachable(logger, e, RetryDelay.TotalSeconds);
                // A half-made subscription must not leave a second queue behind.
                await redis.GetSubscriber().UnsubscribeAsync(ClusterChannel.Name, handler: null, CommandFlags.FireAndForget);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private void Handle(RedisValue payload)
    {
        if (channel.Read(payload) is not { } envelope) return;
        bool fromHere = envelope.Origin == channel.ProcessId;
        switch (envelope.Message)
        {
            case EpochCompletedMessage or JobUpdatedMessage when !fromHere:
                trainingEvents.DeliverFromPeer(envelope.Message);
                // Submitted, retried or requeued elsewhere: look at the queue now, not at the next poll (Training:PollSeconds).
                if (envelope.Message is JobUpdatedMessage { Job.Status: JobStatus.Queued }) jobSignal.Notify();
                break;
            case CancelJobMessage cancel when !fromHere:
                cancellations.Cancel(cancel.JobId);
                break;
            case ForgetMessage forget:
                // The writer already forgot locally, before and after its commit; it only counts its own answer.
                if (!fromHere) invalidation.Forget(forget.Change);
                channel.Post(new ForgottenMessage(forget.ChangeId));
                break;
            case ForgottenMessage forgotten:
                channel.Acknowledged(forgotten.ChangeId);
                break;
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription || !_subscribed) return;
        channel.Listening = false;
        LogLost(logger, e.Exception, e.EndPoint, e.FailureType);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription || !_subscribed) return;
        // Forget first, then trust the caches again: whatever changed meanwhile is read from the database.
        invalidation.ForgetEverything();
        channel.Listening = true;
        LogRestored(logger, e.EndPoint);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined the cluster channel on Redis as {ProcessId}.")]
    private static partial void LogJoined(ILogger logger, string processId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: this process serves on its own (API keys read from the database on every request) and tries again every {Seconds} s.")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the cluster channel on Redis {EndPoint} ({FailureType}): this process serves on its own until it is back.")]
    private static partial void LogLost(ILogger logger, Exception? exception, System.Net.EndPoint? endPoint, ConnectionFailureType failureType);

    [LoggerMessage(Level = LogLevel.Information, Message = "The cluster channel on Redis {EndPoint} is back; the caches forgot everything they held.")]
    private static partial void LogRestored(ILogger logger, System.Net.EndPoint? endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not act on a message from the cluster channel.")]
    private static partial void LogHandleFailed(ILogger logger, Exception exception);
}
