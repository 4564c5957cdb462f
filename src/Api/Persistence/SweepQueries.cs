using BackpropService.Api.Sweeps;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>Reads sweeps with their jobs and each job's best metrics, ranked (<see cref="SweepRanking"/>).</summary>
public static class SweepQueries
{
    /// <summary>The sweeps of <paramref name="sweeps"/>, in its order: three queries however many there are.</summary>
    public static async Task<List<Sweep>> LoadSweepsAsync(this BackpropDbContext db, IQueryable<SweepEntity> sweeps, CancellationToken cancellationToken)
    {
        var entities = await sweeps.AsNoTracking().ToListAsync(cancellationToken);
        if (entities.Count == 0) return [];
        var ids = entities.Select(s => s.Id).ToList();
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.SweepId != null && ids.Contains(j.SweepId)).ToListAsync(cancellationToken);
        // Aggregated in the database: a sweep's jobs may have thousands of epochs each.
        var bests = await (
            from metrics in db.EpochMetrics.AsNoTracking()
            join job in db.Jobs.AsNoTracking() on metrics.JobId equals job.Id
            where job.SweepId != null && ids.Contains(job.SweepId)
            group metrics by metrics.JobId into epochs
            select new JobBestMetrics(epochs.Key, epochs.Min(m => m.ValidationLoss), epochs.Max(m => m.ValidationAccuracy),
                epochs.Min(m => (double?)m.TrainLoss)))
            .ToDictionaryAsync(b => b.JobId, cancellationToken);
        var bySweep = jobs.ToLookup(j => j.SweepId!);
        return entities.Select(s => SweepRanking.ToContract(s, bySweep[s.Id], bests)).ToList();
    }

    public static async Task<Sweep?> GetSweepAsync(this BackpropDbContext db, string id, CancellationToken cancellationToken) =>
        (await db.LoadSweepsAsync(db.Sweeps.Where(s => s.Id == id), cancellationToken)).FirstOrDefault();
}
