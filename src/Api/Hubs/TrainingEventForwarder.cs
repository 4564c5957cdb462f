using BackpropService.Api.Training;
using Microsoft.AspNetCore.SignalR;

namespace BackpropService.Api.Hubs;

/// <summary>
/// Forwards the worker's in-process events to <see cref="TrainingHub"/> clients, one at a time in
/// publish order, so a job's final <c>JobUpdated</c> arrives after its last <c>EpochCompleted</c>.
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
    IHubContext<TrainingHub, ITrainingClient> hub,
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
            var alreadyHaveIt = listeners.HighWater.Where(l => l.Value >= number).Select(l => l.Key).ToList();
            return hub.Clients.GroupExcept(JobSubscriptions.JobGroup(epoch.JobId), alreadyHaveIt).EpochCompleted(epoch.Metrics);
        }, cancellationToken);

    private async Task SendJobAsync(JobUpdatedEvent update, CancellationToken cancellationToken)
    {
        await subscriptions.AllJobsLock.WaitAsync(cancellationToken);
        try
        {
            // A connection in both groups gets the update once: through the all-jobs group.
            var allJobs = subscriptions.AllJobsListeners();
            await hub.Clients.Group(JobSubscriptions.AllJobs).JobUpdated(update.Job);
            await hub.Clients.GroupExcept(JobSubscriptions.JobGroup(update.JobId), allJobs).JobUpdated(update.Job);
        }
        finally
        {
            subscriptions.AllJobsLock.Release();
        }
    }

    public override void Dispose()
    {
        _subscription.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forward an event of job {JobId} to hub clients.")]
    private static partial void LogForwardFailed(ILogger logger, Exception exception, string jobId);
}
