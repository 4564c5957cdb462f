using System.Threading.Channels;

namespace BackpropService.Api.Training;

/// <summary>One subscriber's view of the event stream. Read <see cref="Events"/>; dispose to unsubscribe.</summary>
public sealed class TrainingEventSubscription : IDisposable
{
    private readonly Action<TrainingEventSubscription> _unsubscribe;

    internal TrainingEventSubscription(Channel<TrainingEvent> channel, Action<TrainingEventSubscription> unsubscribe)
    {
        Channel = channel;
        _unsubscribe = unsubscribe;
    }

    internal Channel<TrainingEvent> Channel { get; }

    public ChannelReader<TrainingEvent> Events => Channel.Reader;

    public void Dispose()
    {
        _unsubscribe(this);
        Channel.Writer.TryComplete();
    }
}
