using BackpropService.Api.Mapping;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>Reads jobs together with their latest epoch's metrics.</summary>
public static class JobQueries
{
    /// <summary>Jobs joined with the metrics row of their last completed epoch (if any).</summary>
    public static IQueryable<JobWithLatest> WithLatest(this BackpropDbContext db) =>
        from job in db.Jobs.AsNoTracking()
        join metrics in db.EpochMetrics.AsNoTracking()
            on new { JobId = job.Id, job.Epoch } equals new { metrics.JobId, metrics.Epoch } into latest
        from metrics in latest.DefaultIfEmpty()
        select new JobWithLatest(job, metrics);

    public static Job? GetJob(this BackpropDbContext db, string id) =>
        db.WithLatest().Where(j => j.Job.Id == id).AsEnumerable().Select(j => j.ToContract()).FirstOrDefault();

    public static async Task<Job?> GetJobAsync(this BackpropDbContext db, string id, CancellationToken cancellationToken) =>
        (await db.WithLatest().Where(j => j.Job.Id == id).ToListAsync(cancellationToken))
        .Select(j => j.ToContract()).FirstOrDefault();
}

/// <summary>A job row and its latest metrics row.</summary>
public sealed record JobWithLatest(JobEntity Job, EpochMetricsEntity? Latest)
{
    public Job ToContract() => Job.ToContract(Latest);
}
