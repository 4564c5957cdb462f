using BackpropService.Api.Training;

namespace BackpropService.Api.Cluster;

/// <summary>
/// <see cref="ITrainingEvents"/> across processes: an event published here reaches this process's subscribers at once
/// (as in a single process, and still while Redis is away) and the other processes over <see cref="ClusterChannel"/>;
/// an event from another process (<see cref="DeliverFromPeer"/>) reaches this process's subscribers only. So every
/// process sees each event once, and a job's events in the order its trainer published them.
/// </summary>
public sealed class ClusterTrainingEvents(TrainingEvents local, ClusterChannel channel) : ITrainingEvents
{
    public void Publish(TrainingEvent trainingEvent)
    {
        local.Publish(trainingEvent);
        switch (trainingEvent)
        {
            case EpochCompletedEvent epoch:
                channel.Post(new EpochCompletedMessage(epoch.Metrics));
                break;
            case JobUpdatedEvent update:
                channel.Post(new JobUpdatedMessage(update.Job));
                break;
        }
    }

    public TrainingEventSubscription Subscribe() => local.Subscribe();

    /// <summary>Hands a training event that another process published to this process's subscribers.</summary>
    public void DeliverFromPeer(ClusterMessage message)
    {
        switch (message)
        {
            case EpochCompletedMessage epoch:
                local.Publish(new EpochCompletedEvent(epoch.Metrics));
                break;
            case JobUpdatedMessage update:
                local.Publish(new JobUpdatedEvent(update.Job));
                break;
        }
    }
}
