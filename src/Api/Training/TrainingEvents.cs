using System.Collections.Immutable;
using System.Threading.Channels;

namespace BackpropService.Api.Training;

/// <summary>
/// Fan-out of <see cref="TrainingEvent"/>s: each subscriber has its own bounded channel, so a slow one
/// loses its oldest events instead of slowing training down.
/// </summary>
public sealed class TrainingEvents : ITrainingEvents
{
    private const int SubscriberCapacity = 10_000;
    private ImmutableList<TrainingEventSubscription> _subscribers = [];

    public void Publish(TrainingEvent trainingEvent)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
            subscriber.Channel.Writer.TryWrite(trainingEvent);
    }

    public TrainingEventSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<TrainingEvent>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleWriter = false,
        });
        var subscription = new TrainingEventSubscription(channel,
            s => ImmutableInterlocked.Update(ref _subscribers, list => list.Remove(s)));
        ImmutableInterlocked.Update(ref _subscribers, list => list.Add(subscription));
        return subscription;
    }
}
