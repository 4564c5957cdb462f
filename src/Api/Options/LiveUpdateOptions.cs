using System.ComponentModel.DataAnnotations;

namespace BackpropService.Api.Options;

/// <summary>Limits of the live-update hub (configuration section <c>LiveUpdates</c>).</summary>
public sealed class LiveUpdateOptions
{
    public const string Section = "LiveUpdates";

    /// <summary>
    /// Most jobs one hub connection may follow with <c>SubscribeToJob</c> at once; one more is refused with a
    /// <c>HubException</c>. It bounds what the server keeps per connection.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxSubscriptionsPerConnection { get; set; } = 100;

    /// <summary>
    /// Most events waiting to be sent to one connection. A client that falls this far behind is disconnected
    /// (it can reconnect and subscribe again, which returns the epochs it missed); the others are not held up.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxQueuedEventsPerConnection { get; set; } = 1000;
}
