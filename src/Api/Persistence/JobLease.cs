using System.Linq.Expressions;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace BackpropService.Api.Persistence;

/// <summary>
/// A worker's claim on one running job, and the fencing rule in one place. The job's row names the claim
/// (<see cref="JobEntity.LeaseOwner"/>) and when it runs out unless renewed (<see cref="JobEntity.LeaseExpiresAt"/>).
/// Every write of a run (each epoch, the outcome, handing the job back) begins with a conditional update of that row,
/// <c>WHERE Id = @id AND LeaseOwner = @owner AND Status = 'Running'</c>, in the write's own transaction, and its row
/// count decides whether the rest follows. A worker that lost the job (paused past its lease while another worker took
/// it over, or the job was cancelled and finished, or deleted) so changes nothing. The update also locks the row until
/// the commit, so nobody requeues or takes the job over halfway through the write.
/// <para>
/// <see cref="Owner"/> names one claim, not only the process (<c>{worker id}/{claim number}</c>): should a process
/// claim a job again that it once lost, the old run still cannot write.
/// </para>
/// </summary>
/// <param name="Duration">How long the lease lasts from each renewal (<c>Training:LeaseSeconds</c>).</param>
public sealed record JobLease(string JobId, string Owner, TimeSpan Duration)
{
    /// <summary>How many queued jobs, in claim order, one pass of <see cref="ClaimNextAsync"/> tries to lock.</summary>
    private const int ClaimCandidates = 8;

    /// <summary>
    /// Running jobs nobody holds at <paramref name="now"/>: the lease ran out (the worker died or hung), or there is
    /// none (a graceful stop released it, or the row predates leases).
    /// </summary>
    public static Expression<Func<JobEntity, bool>> IsOrphaned(DateTime now) =>
        j => j.Status == JobStatus.Running && (j.LeaseExpiresAt == null || j.LeaseExpiresAt < now);

    /// <summary>
    /// Claims the next queued job in claim order (<see cref="JobQueries.QueuedInClaimOrder"/>) for
    /// <paramref name="owner"/>: running, one more attempt, leased until <paramref name="duration"/> from now. Null when
    /// no queued job is left to take. On PostgreSQL each candidate is locked with <c>FOR UPDATE SKIP LOCKED</c>, so
    /// workers claiming at the same moment pass over each other's candidates instead of waiting on them; on SQLite the
    /// transaction already holds the database's write lock (Microsoft.Data.Sqlite begins IMMEDIATE), which serializes
    /// the claims.
    /// </summary>
    public static async Task<JobLease?> ClaimNextAsync(BackpropDbContext db, string owner, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        // A few passes: the candidates of one may all have been taken by other workers in the meantime.
        for (int pass = 0; pass < 3; pass++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var candidates = await db.QueuedInClaimOrder().Select(j => j.Id).Take(ClaimCandidates).ToListAsync(cancellationToken);
            if (candidates.Count == 0) return null;
            foreach (var candidate in candidates)
            {
                if (!await LockIfQueuedAsync(db, candidate, cancellationToken)) continue;
                var now = DateTime.UtcNow;
                var until = now + duration;
                int claimed = await db.Jobs
                    .Where(j => j.Id == candidate && j.Status == JobStatus.Queued)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(j => j.Status, JobStatus.Running)
                        .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                        .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now)
                        .SetProperty(j => j.LeaseOwner, owner)
                        .SetProperty(j => j.LeaseExpiresAt, until), cancellationToken);
                if (claimed == 1)
                {
                    await transaction.CommitAsync(cancellationToken);
                    return new JobLease(candidate, owner, duration);
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Takes over an orphaned job (<see cref="IsOrphaned"/>) for <paramref name="owner"/> without moving it through the
    /// queue (to fail it when it has used up its attempts); null when it is no longer an orphan.
    /// </summary>
    /// <param name="now">The time the leases are judged at (see <see cref="IsOrphaned"/>).</param>
    public static async Task<JobLease?> TakeOverAsync(BackpropDbContext db, string jobId, DateTime now, string owner, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + duration;
        int taken = await db.Jobs.Where(j => j.Id == jobId).Where(IsOrphaned(now))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, owner).SetProperty(j => j.LeaseExpiresAt, until), cancellationToken);
        return taken == 1 ? new JobLease(jobId, owner, duration) : null;
    }

    /// <summary>
    /// Puts an orphaned job back in the queue, to resume from its checkpoint on any worker; the run it lost counts as
    /// an interrupted attempt. False when it is no longer an orphan (its worker renewed after all, or another worker
    /// got there first).
    /// </summary>
    public static async Task<bool> RequeueOrphanAsync(BackpropDbContext db, string jobId, DateTime now, CancellationToken cancellationToken) =>
        await db.Jobs.Where(j => j.Id == jobId).Where(IsOrphaned(now)).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, JobStatus.Queued)
            .SetProperty(j => j.LeaseOwner, (string?)null)
            .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken) == 1;

    /// <summary>
    /// The fence of an epoch write that no lease covers (a held-back epoch stored after a storage outage): the job must
    /// still be queued, unclaimed, at the epoch before. Advances the job's epoch; false when it no longer may.
    /// </summary>
    public static async Task<bool> AdvanceUnleasedAsync(BackpropDbContext db, string jobId, int epoch, CancellationToken cancellationToken) =>
        await db.Jobs
            .Where(j => j.Id == jobId && j.Status == JobStatus.Queued && j.LeaseOwner == null && j.Epoch == epoch - 1)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Epoch, epoch), cancellationToken) == 1;

    /// <summary>Moves the expiry on by <see cref="Duration"/>; false when this lease no longer holds the job.</summary>
    public async Task<bool> RenewAsync(BackpropDbContext db, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + Duration;
        return await Held(db).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, until), cancellationToken) == 1;
    }

    /// <summary>Whether the job's cancel was requested (by any process); false when this lease no longer holds it.</summary>
    public async Task<bool> CancelRequestedAsync(BackpropDbContext db, CancellationToken cancellationToken) =>
        await Held(db).AnyAsync(j => j.CancelRequested, cancellationToken);

    /// <summary>
    /// The fence of an epoch write, first in its transaction: advances the job's epoch and renews the lease; false when
    /// this lease no longer holds the job, and then nothing of the epoch may be written.
    /// </summary>
    public async Task<bool> AdvanceEpochAsync(BackpropDbContext db, int epoch, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + Duration;
        return await Held(db).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Epoch, epoch)
            .SetProperty(j => j.LeaseExpiresAt, until), cancellationToken) == 1;
    }

    /// <summary>
    /// Stores the job's outcome (in the caller's transaction, with the model when there is one) and ends the lease;
    /// <see cref="JobEntity.LeaseOwner"/> keeps naming the worker that ran the job last. False when this lease no
    /// longer holds the job: then the outcome belongs to whoever does.
    /// </summary>
    public bool Finish(BackpropDbContext db, JobStatus status, string? error, string? modelId)
    {
        var now = DateTime.UtcNow;
        return Held(db).ExecuteUpdate(s => s
            .SetProperty(j => j.Status, status)
            .SetProperty(j => j.Error, error)
            .SetProperty(j => j.FinishedAt, now)
            .SetProperty(j => j.ModelId, modelId)
            .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)) == 1;
    }

    /// <summary>
    /// A graceful stop hands the run back: the job stays <c>running</c> with no lease, so the next start, or another
    /// worker at once, resumes it; the run does not count towards <c>Training:MaxAttempts</c>.
    /// </summary>
    public bool Release(BackpropDbContext db) =>
        Held(db).ExecuteUpdate(s => s
            .SetProperty(j => j.Attempts, j => j.Attempts > 0 ? j.Attempts - 1 : 0)
            .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)) == 1;

    /// <summary>
    /// Puts the job back in the queue because the database, not the job, stopped the run: the attempt is handed back.
    /// False when this lease no longer holds the job.
    /// </summary>
    public bool ReturnToQueue(BackpropDbContext db) => Held(db).ExecuteUpdate(BackToQueue) == 1;

    /// <inheritdoc cref="ReturnToQueue"/>
    public async Task<bool> ReturnToQueueAsync(BackpropDbContext db, CancellationToken cancellationToken) =>
        await Held(db).ExecuteUpdateAsync(BackToQueue, cancellationToken) == 1;

    /// <summary>Who holds the job now, in words for the log line of a lost lease.</summary>
    public string DescribeHolder(BackpropDbContext db)
    {
        var row = db.Jobs.AsNoTracking().Where(j => j.Id == JobId).Select(j => new { j.Status, j.LeaseOwner }).FirstOrDefault();
        return row switch
        {
            null => "nobody: the job was deleted",
            { Status: JobStatus.Running, LeaseOwner: { } owner } => owner,
            { Status: JobStatus.Queued } => "the queue (its lease ran out)",
            { Status: var status } => $"nobody: the job has already {WireName.Of(status)}",
        };
    }

    private static readonly Action<UpdateSettersBuilder<JobEntity>> BackToQueue = s => s
        .SetProperty(j => j.Status, JobStatus.Queued)
        .SetProperty(j => j.Attempts, j => j.Attempts > 0 ? j.Attempts - 1 : 0)
        .SetProperty(j => j.LeaseOwner, (string?)null)
        .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null);

    /// <summary>The job's row while this lease holds it.</summary>
    private IQueryable<JobEntity> Held(BackpropDbContext db) =>
        db.Jobs.Where(j => j.Id == JobId && j.LeaseOwner == Owner && j.Status == JobStatus.Running);

    /// <summary>
    /// On PostgreSQL: locks the candidate's row if it is still queued and no other transaction holds it (skipping it
    /// otherwise); on SQLite the transaction's write lock already excludes every other writer.
    /// </summary>
    private static async Task<bool> LockIfQueuedAsync(BackpropDbContext db, string jobId, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql()) return true;
        string queued = JobStatus.Queued.ToString();
        var locked = await db.Database.SqlQuery<string>(
                $"""SELECT "Id" AS "Value" FROM "Jobs" WHERE "Id" = {jobId} AND "Status" = {queued} FOR UPDATE SKIP LOCKED""")
            .ToListAsync(cancellationToken);
        return locked.Count == 1;
    }
}
