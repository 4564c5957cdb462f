using BackpropService.Api.Mapping;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>Reads jobs together with their latest epoch's metrics and, while queued, their place in the queue.</summary>
public static class JobQueries
{
    /// <summary>
    /// The queued jobs in the order the worker claims them: oldest first (a job requeued after a restart keeps
    /// its place), ties by id. <see cref="QueuePositionAsync"/> counts in the same order.
    /// </summary>
    public static IQueryable<JobEntity> QueuedInClaimOrder(this IQueryable<JobEntity> jobs) =>
        jobs.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.CreatedAt).ThenBy(j => j.Id);

    /// <summary>The jobs of <paramref name="jobs"/>, each joined with the metrics row of its last completed epoch.</summary>
    public static async Task<List<Job>> LoadJobsAsync(this BackpropDbContext db, IQueryable<JobEntity> jobs, CancellationToken cancellationToken)
    {
        var rows = await Join(db, jobs).ToListAsync(cancellationToken);
        // One ordered query of the queued ids gives every listed job its place.
        var positions = new Dictionary<string, int>();
        if (rows.Any(r => r.Job.Status == JobStatus.Queued))
        {
            var queue = await db.Jobs.AsNoTracking().QueuedInClaimOrder().Select(j => j.Id).ToListAsync(cancellationToken);
            for (int i = 0; i < queue.Count; i++) positions[queue[i]] = i + 1;
        }
        return rows.Select(r => r.Job.ToContract(r.Latest, positions.TryGetValue(r.Job.Id, out int p) ? p : null)).ToList();
    }

    public static Job? GetJob(this BackpropDbContext db, string id)
    {
        var row = Join(db, db.Jobs.Where(j => j.Id == id)).FirstOrDefault();
        return row?.Job.ToContract(row.Latest, row.Job.Status == JobStatus.Queued ? QueuedAhead(db, row.Job).Count() + 1 : null);
    }

    public static async Task<Job?> GetJobAsync(this BackpropDbContext db, string id, CancellationToken cancellationToken)
    {
        var row = await Join(db, db.Jobs.Where(j => j.Id == id)).FirstOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        int? position = row.Job.Status == JobStatus.Queued ? await db.QueuePositionAsync(row.Job, cancellationToken) : null;
        return row.Job.ToContract(row.Latest, position);
    }

    /// <summary>A queued job's place in the queue (1: claimed next), with one count query.</summary>
    public static async Task<int> QueuePositionAsync(this BackpropDbContext db, JobEntity job, CancellationToken cancellationToken) =>
        await QueuedAhead(db, job).CountAsync(cancellationToken) + 1;

    /// <summary>The queued jobs the worker claims before <paramref name="job"/> (the order of <see cref="QueuedInClaimOrder"/>).</summary>
    private static IQueryable<JobEntity> QueuedAhead(BackpropDbContext db, JobEntity job) =>
        db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Queued
            && (j.CreatedAt < job.CreatedAt || j.CreatedAt == job.CreatedAt && j.Id.CompareTo(job.Id) < 0));

    private static IQueryable<JobRow> Join(BackpropDbContext db, IQueryable<JobEntity> jobs) =>
        from job in jobs.AsNoTracking()
        join metrics in db.EpochMetrics.AsNoTracking()
            on new { JobId = job.Id, job.Epoch } equals new { metrics.JobId, metrics.Epoch } into latest
        from metrics in latest.DefaultIfEmpty()
        select new JobRow { Job = job, Latest = metrics };

    private sealed class JobRow
    {
        public required JobEntity Job { get; init; }
        public EpochMetricsEntity? Latest { get; init; }
    }
}
