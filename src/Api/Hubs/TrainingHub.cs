using BackpropService.Api.Mapping;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Hubs;

/// <summary>
/// Live training updates at <see cref="TrainingHubMethods.Path"/>. Subscribing to a job returns the
/// epochs stored so far and sends every later one as <see cref="ITrainingClient.EpochCompleted"/>, each
/// exactly once (see <see cref="JobSubscriptions"/>).
/// </summary>
public sealed class TrainingHub(IDbContextFactory<BackpropDbContext> dbFactory, JobSubscriptions subscriptions) : Hub<ITrainingClient>
{
    /// <summary>Joins the job's group and returns its metrics so far, in epoch order.</summary>
    public async Task<IReadOnlyList<EpochMetrics>> SubscribeToJob(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId)) throw new HubException("SubscribeToJob needs a job id; GET /api/jobs lists them.");
        var aborted = Context.ConnectionAborted;
        await using (var db = await dbFactory.CreateDbContextAsync(aborted))
        {
            if (!await db.Jobs.AnyAsync(j => j.Id == jobId, aborted))
                throw new HubException($"There is no job with id '{jobId}'. GET /api/jobs lists them.");
        }

        return await subscriptions.WithJobLockAsync(jobId, async listeners =>
        {
            // Under the job's lock the forwarder cannot send an epoch, so each epoch is either in this
            // list (and the connection's high-water mark keeps it from being sent) or sent after the join.
            List<EpochMetrics> stored;
            await using (var db = await dbFactory.CreateDbContextAsync(aborted))
            {
                var rows = await db.EpochMetrics.AsNoTracking().Where(m => m.JobId == jobId).OrderBy(m => m.Epoch)
                    .ToListAsync(aborted);
                stored = rows.Select(m => m.ToContract()).ToList();
            }
            await Groups.AddToGroupAsync(Context.ConnectionId, JobSubscriptions.JobGroup(jobId), aborted);
            subscriptions.Add(listeners, jobId, Context.ConnectionId, stored.Count == 0 ? 0 : stored[^1].Epoch);
            return (IReadOnlyList<EpochMetrics>)stored;
        }, aborted);
    }

    /// <summary>Leaves the job's group.</summary>
    public async Task UnsubscribeFromJob(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId)) return;
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, JobSubscriptions.JobGroup(jobId));
        await subscriptions.RemoveAsync(jobId, Context.ConnectionId);
    }

    /// <summary>Receives <see cref="ITrainingClient.JobUpdated"/> for every job from now on.</summary>
    public async Task SubscribeToJobs()
    {
        await subscriptions.AllJobsLock.WaitAsync(Context.ConnectionAborted);
        try
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, JobSubscriptions.AllJobs, Context.ConnectionAborted);
            subscriptions.AddAllJobsListener(Context.ConnectionId);
        }
        finally
        {
            subscriptions.AllJobsLock.Release();
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await subscriptions.RemoveConnectionAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }
}
