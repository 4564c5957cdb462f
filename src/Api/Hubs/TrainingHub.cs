using BackpropService.Api.Mapping;
using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Hubs;

/// <summary>
/// Live training updates at <see cref="TrainingHubMethods.Path"/>. Subscribing to a job returns the
/// epochs stored so far and sends every later one as <see cref="ITrainingClient.EpochCompleted"/>, each
/// exactly once (see <see cref="JobSubscriptions"/>). Events reach each connection through its own
/// <see cref="ClientOutbox"/>, so a slow client holds up nobody else.
/// </summary>
public sealed class TrainingHub(
    IDbContextFactory<BackpropDbContext> dbFactory,
    JobSubscriptions subscriptions,
    ClientOutboxes outboxes,
    IOptions<LiveUpdateOptions> options) : Hub<ITrainingClient>
{
    public override async Task OnConnectedAsync()
    {
        outboxes.Open(Context);
        await base.OnConnectedAsync();
    }

    /// <summary>Starts listening to the job and returns its metrics so far, in epoch order.</summary>
    public async Task<IReadOnlyList<EpochMetrics>> SubscribeToJob(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId)) throw new HubException("SubscribeToJob needs a job id; GET /api/jobs lists them.");
        int maxJobs = options.Value.MaxSubscriptionsPerConnection;
        if (!subscriptions.MayAdd(Context.ConnectionId, jobId, maxJobs))
            throw new HubException($"This connection already follows {maxJobs} jobs, the most one connection may " +
                $"(LiveUpdates:MaxSubscriptionsPerConnection). Call UnsubscribeFromJob for a job you no longer watch first.");
        var aborted = Context.ConnectionAborted;
        await using (var db = await dbFactory.CreateDbContextAsync(aborted))
        {
            if (!await db.Jobs.AnyAsync(j => j.Id == jobId, aborted))
                throw new HubException($"There is no job with id '{jobId}'. GET /api/jobs lists them.");
        }

        return await subscriptions.WithJobLockAsync(jobId, async listeners =>
        {
            // Under the job's lock the forwarder cannot post an epoch, so each epoch is either in this
            // list (and the connection's high-water mark keeps it from being sent) or posted after the add.
            List<EpochMetrics> stored;
            await using (var db = await dbFactory.CreateDbContextAsync(aborted))
            {
                var rows = await db.EpochMetrics.AsNoTracking().Where(m => m.JobId == jobId).OrderBy(m => m.Epoch)
                    .ToListAsync(aborted);
                stored = rows.Select(m => m.ToContract()).ToList();
            }
            subscriptions.Add(listeners, jobId, Context.ConnectionId, stored.Count == 0 ? 0 : stored[^1].Epoch);
            return (IReadOnlyList<EpochMetrics>)stored;
        }, aborted);
    }

    /// <summary>Stops listening to the job.</summary>
    public async Task UnsubscribeFromJob(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId)) return;
        await subscriptions.RemoveAsync(jobId, Context.ConnectionId);
    }

    /// <summary>Receives <see cref="ITrainingClient.JobUpdated"/> for every job from now on.</summary>
    public Task SubscribeToJobs()
    {
        subscriptions.AddAllJobsListener(Context.ConnectionId);
        return Task.CompletedTask;
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        outboxes.Close(Context.ConnectionId);
        await subscriptions.RemoveConnectionAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }
}
