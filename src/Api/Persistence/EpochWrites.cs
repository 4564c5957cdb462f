using BackpropService.Api.Mapping;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>How one completed epoch is stored, by the training thread and by the recovery after a storage outage alike.</summary>
public static class EpochWrites
{
    /// <summary>
    /// In one transaction: <paramref name="advanceJob"/> moves the job's row to the epoch (the fence:
    /// <see cref="JobLease.AdvanceEpochAsync"/> for a running job, <see cref="JobLease.AdvanceUnleasedAsync"/> for a
    /// held-back one), then adds <paramref name="metrics"/>' row and puts <paramref name="checkpoint"/> in place of the
    /// job's stored one. When the fence refuses (its row count is 0), nothing is written and the result is false.
    /// </summary>
    public static async Task<bool> TryStoreEpochAsync(this BackpropDbContext db, EpochMetrics metrics, byte[] checkpoint,
        Func<BackpropDbContext, CancellationToken, Task<bool>> advanceJob, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // First, so that the job's row is locked for the rest of the transaction (on SQLite the whole database is).
        if (!await advanceJob(db, cancellationToken)) return false;
        db.EpochMetrics.Add(metrics.ToEntity());
        var stored = await db.Checkpoints.FindAsync([metrics.JobId], cancellationToken);
        if (stored is null)
        {
            db.Checkpoints.Add(new JobCheckpointEntity { JobId = metrics.JobId, Epoch = metrics.Epoch, Data = checkpoint });
        }
        else
        {
            stored.Epoch = metrics.Epoch;
            stored.Data = checkpoint;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
