using BackpropService.Api.Mapping;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>Reads jobs together with their latest epoch's metrics and, while queued, their place in the queue.</summary>
public static class JobQueries
{
    /// <summary>
    /// The queued jobs in the order the worker claims them: round-robin between owners (the key that created a
    /// job), first in, first out within an owner, so one key's short job does not wait behind another key's ten
    /// long ones. Every owner's first queued job comes before any owner's second one, and so on; within such a
    /// round, the owner the worker served least recently goes first (one never served before all), then the
    /// oldest job (a job requeued after a restart keeps its place), ties by id. A claim moves its owner to the
    /// end of every round, so the rest keep their order. Queue positions count in this order
    /// (<see cref="QueuePositionAsync"/>).
    /// </summary>
    public static IQueryable<JobEntity> QueuedInClaimOrder(this BackpropDbContext db)
    {
        var jobs = db.Jobs.AsNoTracking();
        return jobs.Where(j => j.Status == JobStatus.Queued)
            .Select(j => new
            {
                Job = j,
                Round = jobs.Count(o => o.CreatedByKeyId == j.CreatedByKeyId && o.Status == JobStatus.Queued
                    && (o.CreatedAt < j.CreatedAt || o.CreatedAt == j.CreatedAt && o.Id.CompareTo(j.Id) < 0)),
                OwnerLastStarted = jobs.Where(o => o.CreatedByKeyId == j.CreatedByKeyId).Max(o => o.StartedAt),
            })
            // Spelled out rather than left to the database: SQLite sorts nulls first, PostgreSQL last.
            .OrderBy(q => q.Round).ThenBy(q => q.OwnerLastStarted == null ? 0 : 1).ThenBy(q => q.OwnerLastStarted)
            .ThenBy(q => q.Job.CreatedAt).ThenBy(q => q.Job.Id)
            .Select(q => q.Job);
    }

    /// <summary>How many jobs the key <paramref name="keyId"/> has queued: what <c>Limits:MaxQueuedJobsPerKey</c> caps.</summary>
    public static Task<int> QueuedJobsOfAsync(this BackpropDbContext db, string keyId, CancellationToken cancellationToken) =>
        db.Jobs.CountAsync(j => j.Status == JobStatus.Queued && j.CreatedByKeyId == keyId, cancellationToken);

    /// <summary>
    /// Whether the dataset a new job needs still exists. Asked under its write lock, as a dataset delete is: the delete
    /// runs wholly before, and this sees the dataset gone, or wholly after, and it sees the new jobs.
    /// </summary>
    public static async Task<bool> DatasetStillExistsAsync(this BackpropDbContext db, string datasetId, CancellationToken cancellationToken) =>
        Datasets.DatasetCatalog.IsBuiltIn(datasetId) || await db.Datasets.AnyAsync(d => d.Id == datasetId, cancellationToken);

    /// <summary>The jobs of <paramref name="jobs"/>, each joined with the metrics row of its last completed epoch.</summary>
    public static async Task<List<Job>> LoadJobsAsync(this BackpropDbContext db, IQueryable<JobEntity> jobs, CancellationToken cancellationToken)
    {
        var rows = await Join(db, jobs).ToListAsync(cancellationToken);
        // One ordered query of the queued ids gives every listed job its place.
        var positions = new Dictionary<string, int>();
        if (rows.Any(r => r.Job.Status == JobStatus.Queued))
        {
            var queue = await db.QueuedInClaimOrder().Select(j => j.Id).ToListAsync(cancellationToken);
            for (int i = 0; i < queue.Count; i++) positions[queue[i]] = i + 1;
        }
        return rows.Select(r => r.Job.ToContract(r.Latest, positions.TryGetValue(r.Job.Id, out int p) ? p : null)).ToList();
    }

    public static Job? GetJob(this BackpropDbContext db, string id)
    {
        var row = Join(db, db.Jobs.Where(j => j.Id == id)).FirstOrDefault();
        return row?.Job.ToContract(row.Latest,
            row.Job.Status == JobStatus.Queued ? PlaceIn(db.QueuedInClaimOrder().Select(j => j.Id).ToList(), id) : null);
    }

    public static async Task<Job?> GetJobAsync(this BackpropDbContext db, string id, CancellationToken cancellationToken)
    {
        var row = await Join(db, db.Jobs.Where(j => j.Id == id)).FirstOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        var position = row.Job.Status == JobStatus.Queued ? await db.QueuePositionAsync(row.Job, cancellationToken) : null;
        return row.Job.ToContract(row.Latest, position);
    }

    /// <summary>
    /// A queued job's place in the queue (1: claimed next), read from the ids in claim order; null when it is no
    /// longer queued.
    /// </summary>
    public static async Task<int?> QueuePositionAsync(this BackpropDbContext db, JobEntity job, CancellationToken cancellationToken) =>
        PlaceIn(await db.QueuedInClaimOrder().Select(j => j.Id).ToListAsync(cancellationToken), job.Id);

    private static int? PlaceIn(List<string> queue, string id) => queue.IndexOf(id) is >= 0 and var index ? index + 1 : null;

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
