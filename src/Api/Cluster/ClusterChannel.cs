using System.Collections.Concurrent;
using System.Text.Json;
using BackpropService.Contracts.Json;
using StackExchange.Redis;

namespace BackpropService.Api.Cluster;

/// <summary>
/// The Redis pub/sub channel that the processes of one service share (<c>ConnectionStrings:Redis</c>): what one process
/// publishes, every subscribed process receives, in the order it was published. Each envelope names its origin
/// (<see cref="ProcessId"/>) so that a process skips what it already did itself. <see cref="ClusterListener"/> receives.
/// </summary>
/// <remarks>
/// Pub/sub keeps nothing: a process that is not subscribed at the moment misses the message. Training events need no
/// more (epochs are stored first, and a hub subscriber reads the stored ones); cache changes are acknowledged by every
/// receiver, and a process that lost the channel forgets all it holds once it is back (<see cref="ClusterListener"/>).
/// </remarks>
public sealed partial class ClusterChannel(IConnectionMultiplexer redis, ILogger<ClusterChannel> logger) : IPeerProcesses
{
    /// <summary>The channel's name; a <c>channelPrefix=</c> in the connection string keeps several services on one Redis apart.</summary>
    public static readonly RedisChannel Name = RedisChannel.Literal("backprop:cluster");

    /// <summary>How long a write waits for the other processes to acknowledge that they forgot what it changed.</summary>
    public static readonly TimeSpan AcknowledgeTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Acknowledgements> _waiting = new(StringComparer.Ordinal);
    private volatile bool _listening;

    /// <summary>This process, as other processes see it in <see cref="ClusterEnvelope.Origin"/>.</summary>
    public string ProcessId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Whether <see cref="ClusterListener"/> is subscribed now (set by it).</summary>
    public bool Listening
    {
        get => _listening;
        internal set => _listening = value;
    }

    public bool HearsChanges => _listening;

    /// <summary>
    /// Hands the message to Redis without waiting for it: the training thread publishes epochs this way. Messages
    /// posted from one thread go out in the order they were posted (one connection writes them in call order).
    /// </summary>
    public void Post(ClusterMessage message)
    {
        try
        {
            redis.GetSubscriber().Publish(Name, Serialize(message), CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            LogPublishFailed(logger, e, message.GetType().Name);
        }
    }

    public async Task ForgetEverywhereAsync(StateChange change)
    {
        if (!redis.IsConnected)
        {
            // Nobody can be told now; each process forgets everything once its own channel is back.
            LogChangeUnannounced(logger, change.GetType().Name);
            return;
        }
        string changeId = Guid.NewGuid().ToString("N");
        var acknowledgements = new Acknowledgements();
        _waiting[changeId] = acknowledgements;
        try
        {
            // PUBLISH answers with the number of subscribers that got the message (this process too, if subscribed):
            // each of them acknowledges once it has forgotten.
            long receivers = await redis.GetSubscriber().PublishAsync(Name, Serialize(new ForgetMessage(changeId, change)));
            acknowledgements.Expect(receivers);
            await acknowledgements.All.WaitAsync(AcknowledgeTimeout);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            LogPublishFailed(logger, e, change.GetType().Name);
        }
        catch (TimeoutException)
        {
            LogNotAcknowledged(logger, change.GetType().Name, acknowledgements.Missing, AcknowledgeTimeout.TotalSeconds);
        }
        finally
        {
            _waiting.TryRemove(changeId, out _);
        }
    }

    public async Task CancelJobAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(Name, Serialize(new CancelJobMessage(jobId))).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            LogPublishFailed(logger, e, nameof(CancelJobMessage));
        }
    }

    /// <summary>Counts one receiver's <see cref="ForgottenMessage"/>, if this process waits for that change.</summary>
    internal void Acknowledged(string changeId)
    {
        if (_waiting.TryGetValue(changeId, out var acknowledgements)) acknowledgements.Add();
    }

    /// <summary>Reads an envelope; null (and a log line) if it is not one this process understands.</summary>
    internal ClusterEnvelope? Read(RedisValue payload)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<ClusterEnvelope>((byte[])payload!, ContractJson.Options);
            if (envelope is { Version: ClusterEnvelope.CurrentVersion }) return envelope;
            LogUnknownVersion(logger, envelope?.Version ?? 0, envelope?.Origin, ClusterEnvelope.CurrentVersion);
        }
        catch (JsonException e)
        {
            LogUnreadable(logger, e);
        }
        return null;
    }

    private byte[] Serialize(ClusterMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(new ClusterEnvelope(ClusterEnvelope.CurrentVersion, ProcessId, message), ContractJson.Options);

    /// <summary>The acknowledgements of one change: complete once as many arrived as PUBLISH said received it (they may come first).</summary>
    private sealed class Acknowledgements
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _received;
        private long _expected = long.MaxValue;

        public Task All => _all.Task;

        public long Missing => Math.Max(0, Interlocked.Read(ref _expected) - Interlocked.Read(ref _received));

        public void Expect(long receivers)
        {
            Interlocked.Exchange(ref _expected, receivers);
            CompleteIfAll();
        }

        public void Add()
        {
            Interlocked.Increment(ref _received);
            CompleteIfAll();
        }

        private void CompleteIfAll()
        {
            if (Interlocked.Read(ref _received) >= Interlocked.Read(ref _expected)) _all.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a {Message} to the other processes over Redis.")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: the other processes were not told of a {Change}; each forgets all it holds once its connection is back.")]
    private static partial void LogChangeUnannounced(ILogger logger, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Change} was not acknowledged by {Missing} process(es) within {Seconds} s; they may serve what it changed until they hear of it.")]
    private static partial void LogNotAcknowledged(ILogger logger, string change, long missing, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a message of format version {Version} from {Origin}: this process reads version {Known}.")]
    private static partial void LogUnknownVersion(ILogger logger, int version, string? origin, int known);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a message on the cluster channel that is not a cluster envelope.")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);
}
