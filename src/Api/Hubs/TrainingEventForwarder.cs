using BackpropService.Api.Training;

namespace BackpropService.Api.Hubs;

/// <summary>
/// Forwards the worker's in-process events to <see cref="TrainingHub"/> clients, one at a time in
/// publish order, so a job's final <c>JobUpdated</c> arrives after its last <c>EpochCompleted</c>. It only
/// posts each event to the listeners' <see cref="ClientOutbox"/>es and never waits for a client, so it keeps
/// up with training however slowly any one client reads.
/// </summary>
/// <remarks>
/// It subscribes in its constructor. The host resolves every hosted service before it starts the first
/// one, so the subscription exists before the training worker (registered earlier, so started earlier)
/// or the server can publish anything; events that arrive before <see cref="ExecuteAsync"/> runs wait
/// in the subscription's channel.
/// </remarks>
public sealed partial class TrainingEventForwarder(
    ITrainingEvents events,
    JobSubscriptions subscriptions,
    ClientOutboxes outboxes,
    ILogger<TrainingEventForwarder> logger) : BackgroundService
{
    private readonly TrainingEventSubscription _subscription = events.Subscribe();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _subscription.Events;
        try
        {
            await foreach (var trainingEvent in reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await ForwardAsync(trainingEvent, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogForwardFailed(logger, e, trainingEvent.JobId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task ForwardAsync(TrainingEvent trainingEvent, CancellationToken cancellationToken) => trainingEvent switch
    {
        EpochCompletedEvent epoch => SendEpochAsync(epoch, cancellationToken),
        JobUpdatedEvent update => SendJobAsync(update, cancellationToken),
        _ => Task.CompletedTask,
    };

    private Task SendEpochAsync(EpochCompletedEvent epoch, CancellationToken cancellationToken) =>
        // Nobody listening means nobody to miss it: a later subscriber reads this epoch from the database.
        subscriptions.WhenListenedAsync(epoch.JobId, listeners =>
        {
            int number = epoch.Metrics.Epoch;
            foreach (var (connectionId, alreadyHasUpTo) in listeners.HighWater)
                if (alreadyHasUpTo < number) outboxes.Post(connectionId, epoch);
            return Task.CompletedTask;
        }, cancellationToken);

    private Task SendJobAsync(JobUpdatedEvent update, CancellationToken cancellationToken)
    {
        // One snapshot decides both lists, so a connection that listens to all jobs and to this one gets the update once.
        var allJobs = subscriptions.AllJobsListeners();
        foreach (var connectionId in allJobs) outboxes.Post(connectionId, update);
        return subscriptions.WhenListenedAsync(update.JobId, listeners =>
        {
            foreach (var connectionId in listeners.HighWater.Keys)
                if (!allJobs.Contains(connectionId)) outboxes.Post(connectionId, update);
            return Task.CompletedTask;
        }, cancellationToken);
    }

    public override void Dispose()
    {
        _subscription.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forward an event of job {JobId} to hub clients.")]
    private static partial void LogForwardFailed(ILogger logger, Exception exception, string jobId);
}
