using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;

namespace BackpropService.Api.Cluster;

/// <summary>
/// The SignalR Redis backplane, with a way around it while Redis is away: a hub connection the backplane cannot take
/// (it must subscribe on Redis first) is held by the in-process lifetime manager instead, so live updates keep working
/// for this process's clients, as in a single process. Sends go to both; each holds its own connections.
/// </summary>
/// <remarks>
/// The service's own events never cross processes through the backplane: each process forwards the training events
/// it hears (<see cref="ClusterTrainingEvents"/>) to its own connections. The backplane serves what SignalR itself
/// sends to groups, users or connections on another process.
/// </remarks>
public sealed partial class RedisFallbackHubLifetimeManager<THub>(
    RedisHubLifetimeManager<THub> backplane,
    DefaultHubLifetimeManager<THub> local,
    ILogger<RedisFallbackHubLifetimeManager<THub>> logger) : HubLifetimeManager<THub> where THub : Hub
{
    private readonly ConcurrentDictionary<string, byte> _heldLocally = new(StringComparer.Ordinal);

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        try
        {
            await backplane.OnConnectedAsync(connection);
            return;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            LogHeldLocally(logger, e, connection.ConnectionId);
        }
        _heldLocally[connection.ConnectionId] = 0;
        await local.OnConnectedAsync(connection);
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (_heldLocally.TryRemove(connection.ConnectionId, out _))
        {
            await local.OnDisconnectedAsync(connection);
            return;
        }
        await OnBackplaneAsync(() => backplane.OnDisconnectedAsync(connection));
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        BothAsync(local.SendAllAsync(methodName, args, cancellationToken), () => backplane.SendAllAsync(methodName, args, cancellationToken));

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds,
        CancellationToken cancellationToken = default) =>
        BothAsync(local.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken),
            () => backplane.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _heldLocally.ContainsKey(connectionId)
            ? local.SendConnectionAsync(connectionId, methodName, args, cancellationToken)
            : OnBackplaneAsync(() => backplane.SendConnectionAsync(connectionId, methodName, args, cancellationToken));

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args,
        CancellationToken cancellationToken = default) =>
        Task.WhenAll(connectionIds.Select(id => SendConnectionAsync(id, methodName, args, cancellationToken)));

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        BothAsync(local.SendGroupAsync(groupName, methodName, args, cancellationToken),
            () => backplane.SendGroupAsync(groupName, methodName, args, cancellationToken));

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args,
        CancellationToken cancellationToken = default) =>
        BothAsync(local.SendGroupsAsync(groupNames, methodName, args, cancellationToken),
            () => backplane.SendGroupsAsync(groupNames, methodName, args, cancellationToken));

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds,
        CancellationToken cancellationToken = default) =>
        BothAsync(local.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken),
            () => backplane.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        BothAsync(local.SendUserAsync(userId, methodName, args, cancellationToken),
            () => backplane.SendUserAsync(userId, methodName, args, cancellationToken));

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        BothAsync(local.SendUsersAsync(userIds, methodName, args, cancellationToken),
            () => backplane.SendUsersAsync(userIds, methodName, args, cancellationToken));

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _heldLocally.ContainsKey(connectionId)
            ? local.AddToGroupAsync(connectionId, groupName, cancellationToken)
            : backplane.AddToGroupAsync(connectionId, groupName, cancellationToken);

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _heldLocally.ContainsKey(connectionId)
            ? local.RemoveFromGroupAsync(connectionId, groupName, cancellationToken)
            : backplane.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);

    private async Task BothAsync(Task toLocal, Func<Task> toBackplane)
    {
        await toLocal;
        await OnBackplaneAsync(toBackplane);
    }

    /// <summary>Runs a backplane call; while Redis is away it fails, which this process's own clients do not notice.</summary>
    private async Task OnBackplaneAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            LogBackplaneFailed(logger, e);
        }
    }

    private static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: hub connection {ConnectionId} is served by this process alone.")]
    private static partial void LogHeldLocally(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SignalR backplane on Redis could not be reached.")]
    private static partial void LogBackplaneFailed(ILogger logger, Exception exception);
}
