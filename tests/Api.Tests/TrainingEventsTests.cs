using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Training;
using BackpropService.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests;

/// <summary>The in-process event stream the hub forwards, when a subscriber falls behind.</summary>
public sealed class TrainingEventsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_subscriber_that_falls_behind_misses_later_epochs_but_never_a_jobs_final_update()
    {
        await using var factory = _database.CreateFactory();
        using var http = factory.CreateClient();
        using var behind = factory.SubscribeToEvents();
        using var watcher = factory.SubscribeToEvents();

        // A job finishes while the subscriber reads nothing; then a flood of epochs (another job's) arrives.
        var job = await http.SubmitJobAsync(XorJobs.Request("finishes-unread", epochs: 5));
        using (var timeout = new CancellationTokenSource(Timeout))
        {
            // Publish hands an event to every subscriber at once: when the watcher has the final update, so has the other.
            while (await watcher.Events.ReadAsync(timeout.Token) is not JobUpdatedEvent { Job.Status: JobStatus.Succeeded or JobStatus.Failed })
            {
            }
        }
        var events = factory.Services.GetRequiredService<ITrainingEvents>();
        for (int epoch = 1; epoch <= TrainingEvents.EpochsPerSubscriber + 100; epoch++)
            events.Publish(new EpochCompletedEvent(new EpochMetrics("flood", epoch, 1.0, null, null, null, 0.1, [1.0], 0.001)));

        var queued = new List<TrainingEvent>();
        while (behind.Events.TryRead(out var next)) queued.Add(next);

        var updates = queued.OfType<JobUpdatedEvent>().Where(e => e.JobId == job.Id).Select(e => e.Job.Status).ToList();
        Assert.Equal([JobStatus.Queued, JobStatus.Running, JobStatus.Succeeded], updates);
        // The job's own epochs come before its final update, which comes before the flood.
        var ownEpochs = queued.OfType<EpochCompletedEvent>().Where(e => e.JobId == job.Id).Select(e => e.Metrics.Epoch).ToList();
        Assert.Equal(Enumerable.Range(1, 5), ownEpochs);
        Assert.True(queued.FindIndex(e => e is JobUpdatedEvent { Job.Status: JobStatus.Succeeded }) < queued.FindIndex(e => e.JobId == "flood"));
        // The bound held: no more epochs were kept than one subscriber may hold.
        Assert.Equal(TrainingEvents.EpochsPerSubscriber, queued.Count(e => e is EpochCompletedEvent));
    }
}
