using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace BackpropService.Api.Training;

/// <summary>
/// One subscriber's view of the event stream. Read <see cref="Events"/>; dispose to unsubscribe.
/// </summary>
/// <remarks>
/// Epochs are bounded: while <see cref="TrainingEvents.EpochsPerSubscriber"/> epochs wait unread, newer ones
/// are dropped for this subscriber (they are stored, so a hub client gets them back by subscribing again).
/// Job updates are never dropped: a job has a handful of them, and losing the final one would leave a
/// watcher showing a finished job as running for ever. One queue keeps both in publish order, so a job's
/// final update still comes after its last epoch.
/// </remarks>
public sealed class TrainingEventSubscription : IDisposable
{
    private readonly Channel<TrainingEvent> _channel = Channel.CreateUnbounded<TrainingEvent>();
    private readonly Action<TrainingEventSubscription> _unsubscribe;
    private readonly int _epochCapacity;
    private int _queuedEpochs;

    internal TrainingEventSubscription(int epochCapacity, Action<TrainingEventSubscription> unsubscribe)
    {
        _epochCapacity = epochCapacity;
        _unsubscribe = unsubscribe;
        Events = new EpochCountingReader(this);
    }

    public ChannelReader<TrainingEvent> Events { get; }

    /// <summary>Queues the event, unless it is an epoch and <see cref="TrainingEvents.EpochsPerSubscriber"/> epochs already wait.</summary>
    internal void Offer(TrainingEvent trainingEvent)
    {
        if (trainingEvent is EpochCompletedEvent && Interlocked.Increment(ref _queuedEpochs) > _epochCapacity)
        {
            Interlocked.Decrement(ref _queuedEpochs);
            return;
        }
        _channel.Writer.TryWrite(trainingEvent);
    }

    public void Dispose()
    {
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }

    /// <summary>Reads the queue and counts each epoch taken out of it.</summary>
    private sealed class EpochCountingReader(TrainingEventSubscription subscription) : ChannelReader<TrainingEvent>
    {
        private ChannelReader<TrainingEvent> Queue => subscription._channel.Reader;

        public override Task Completion => Queue.Completion;

        public override bool CanCount => true;

        public override int Count => Queue.Count;

        public override bool TryRead([MaybeNullWhen(false)] out TrainingEvent item)
        {
            if (!Queue.TryRead(out item)) return false;
            if (item is EpochCompletedEvent) Interlocked.Decrement(ref subscription._queuedEpochs);
            return true;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            Queue.WaitToReadAsync(cancellationToken);
    }
}
