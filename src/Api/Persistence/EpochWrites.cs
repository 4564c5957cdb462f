using BackpropService.Api.Mapping;
using BackpropService.Contracts;

namespace BackpropService.Api.Persistence;

/// <summary>How one completed epoch is stored, by the training thread and by the recovery after a storage outage alike.</summary>
public static class EpochWrites
{
    /// <summary>
    /// Adds <paramref name="metrics"/>' row, puts <paramref name="checkpoint"/> in place of the job's
    /// <paramref name="stored"/> one (null: it has none yet) and advances <paramref name="job"/>'s epoch count. The
    /// caller reads <paramref name="job"/> and <paramref name="stored"/> and saves, all in one transaction.
    /// </summary>
    public static void AddEpoch(this BackpropDbContext db, JobEntity job, JobCheckpointEntity? stored, EpochMetrics metrics, byte[] checkpoint)
    {
        db.EpochMetrics.Add(metrics.ToEntity());
        if (stored is null)
        {
            db.Checkpoints.Add(new JobCheckpointEntity { JobId = job.Id, Epoch = metrics.Epoch, Data = checkpoint });
        }
        else
        {
            stored.Epoch = metrics.Epoch;
            stored.Data = checkpoint;
        }
        job.Epoch = metrics.Epoch;
    }
}
