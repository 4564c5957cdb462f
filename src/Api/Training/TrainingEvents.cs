using System.Collections.Immutable;

namespace BackpropService.Api.Training;

/// <summary>
/// Fan-out of <see cref="TrainingEvent"/>s: each subscriber has its own queue, so a slow one never slows
/// training down. A subscriber that falls <see cref="EpochsPerSubscriber"/> epochs behind misses later epochs,
/// never a job update (see <see cref="TrainingEventSubscription"/>).
/// </summary>
public sealed class TrainingEvents : ITrainingEvents
{
    /// <summary>Most epochs waiting for one subscriber.</summary>
    public const int EpochsPerSubscriber = 10_000;

    private ImmutableList<TrainingEventSubscription> _subscribers = [];

    public void Publish(TrainingEvent trainingEvent)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
            subscriber.Offer(trainingEvent);
    }

    public TrainingEventSubscription Subscribe()
    {
        var subscription = new TrainingEventSubscription(EpochsPerSubscriber,
            s => ImmutableInterlocked.Update(ref _subscribers, list => list.Remove(s)));
        ImmutableInterlocked.Update(ref _subscribers, list => list.Add(subscription));
        return subscription;
    }
}
