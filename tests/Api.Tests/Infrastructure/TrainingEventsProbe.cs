using BackpropService.Api.Training;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>Awaits events from the service's in-process event stream instead of sleeping.</summary>
public static class TrainingEventsProbe
{
    /// <summary>Waits until <paramref name="jobId"/> has completed at least <paramref name="epoch"/> epochs.</summary>
    public static async Task WaitForEpochAsync(this ServiceFactory factory, TrainingEventSubscription events, string jobId, int epoch, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var e in events.Events.ReadAllAsync(cancel.Token))
                if (e is EpochCompletedEvent completed && completed.JobId == jobId && completed.Metrics.Epoch >= epoch)
                    return;
        }
        catch (OperationCanceledException)
        {
        }
        Assert.Fail($"job {jobId} did not reach epoch {epoch} within {timeout}");
    }

    public static TrainingEventSubscription SubscribeToEvents(this ServiceFactory factory) =>
        factory.Services.GetRequiredService<ITrainingEvents>().Subscribe();
}
