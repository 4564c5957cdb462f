namespace BackpropService.Contracts;

/// <summary>What one connection to the hub <c>/hubs/training</c> may hold (configuration section <c>LiveUpdates</c>).</summary>
/// <param name="MaxSubscriptionsPerConnection">
/// Jobs one connection may follow with <c>SubscribeToJob</c> at once, a count; one more fails with a <c>HubException</c>
/// (<c>LiveUpdates:MaxSubscriptionsPerConnection</c>).
/// </param>
/// <param name="MaxQueuedEventsPerConnection">
/// Events waiting to be sent to one connection, a count; a client that falls this far behind is disconnected (it may
/// reconnect and subscribe again, which returns what it missed) (<c>LiveUpdates:MaxQueuedEventsPerConnection</c>).
/// </param>
public sealed record LiveUpdateLimits(int MaxSubscriptionsPerConnection, int MaxQueuedEventsPerConnection);
