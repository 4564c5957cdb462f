using BackpropService.Api.Mapping;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>Reads jobs together with their latest epoch's metrics.</summary>
public static class JobQueries
{
    /// <summary>The jobs of <paramref name="jobs"/>, each joined with the metrics row of its last completed epoch.</summary>
    public static async Task<List<Job>> LoadJobsAsync(this BackpropDbContext db, IQueryable<JobEntity> jobs, CancellationToken cancellationToken)
    {
        var rows = await Join(db, jobs).ToListAsync(cancellationToken);
        return rows.Select(r => r.Job.ToContract(r.Latest)).ToList();
    }

    public static Job? GetJob(this BackpropDbContext db, string id) =>
        Join(db, db.Jobs.Where(j => j.Id == id)).AsEnumerable().Select(r => r.Job.ToContract(r.Latest)).FirstOrDefault();

    public static async Task<Job?> GetJobAsync(this BackpropDbContext db, string id, CancellationToken cancellationToken) =>
        (await db.LoadJobsAsync(db.Jobs.Where(j => j.Id == id), cancellationToken)).FirstOrDefault();

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
