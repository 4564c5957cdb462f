using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Tests.Training;

/// <summary>
/// The fencing rule itself (<see cref="JobLease"/>): a write made under a lease that no longer holds the job changes
/// no row, and one under the lease that does goes through. On the assembly's provider, against its real database.
/// </summary>
public sealed class JobLeaseTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_write_under_a_stale_owner_changes_nothing_and_the_current_owner_s_writes_go_through()
    {
        using var database = new TempDatabase();
        // The service migrates the database; its worker finds nothing to do with a job another worker holds for an hour.
        await using (var factory = database.CreateFactory()) factory.CreateClient();
        const string jobId = "leased-job";
        await using (var setup = new BackpropDbContext(database.CreateOptions().Options))
        {
            setup.Jobs.Add(new JobEntity
            {
                Id = jobId,
                Name = "leased",
                DatasetId = "xor",
                Options = "{}",
                Status = JobStatus.Running,
                Epoch = 3,
                Epochs = 10,
                Attempts = 2,
                CreatedAt = DateTime.UtcNow,
                StartedAt = DateTime.UtcNow,
                LeaseOwner = "worker-b/7",
                LeaseExpiresAt = DateTime.UtcNow.AddHours(1),
            });
            await setup.SaveChangesAsync();
        }
        // The worker that held the job before worker-b took it over.
        var stale = new JobLease(jobId, "worker-a/1", Duration);
        var current = new JobLease(jobId, "worker-b/7", Duration);
        var epochFour = new EpochMetrics(jobId, 4, 0.5, 0.75, null, null, 0.1, [1.0], 0.01);

        await using var db = new BackpropDbContext(database.CreateOptions().Options);
        Assert.False(await db.TryStoreEpochAsync(epochFour, [1, 2, 3], (fenced, ct) => stale.AdvanceEpochAsync(fenced, 4, ct), CancellationToken.None));
        Assert.False(stale.Finish(db, JobStatus.Succeeded, null, modelId: null));
        Assert.False(await stale.RenewAsync(db, CancellationToken.None));
        Assert.False(stale.Release(db));
        Assert.False(stale.ReturnToQueue(db));
        Assert.False(await stale.CancelRequestedAsync(db, CancellationToken.None));
        Assert.Equal("worker-b/7", stale.DescribeHolder(db));

        var untouched = await Row(database, jobId);
        Assert.Equal((JobStatus.Running, 3, 2, "worker-b/7"), (untouched.Status, untouched.Epoch, untouched.Attempts, untouched.LeaseOwner));
        Assert.Null(untouched.FinishedAt);
        Assert.Equal(0, await db.EpochMetrics.CountAsync(m => m.JobId == jobId));
        Assert.Equal(0, await db.Checkpoints.CountAsync(c => c.JobId == jobId));

        // The same writes under the lease that holds the job.
        Assert.True(await db.TryStoreEpochAsync(epochFour, [1, 2, 3], (fenced, ct) => current.AdvanceEpochAsync(fenced, 4, ct), CancellationToken.None));
        Assert.True(current.Finish(db, JobStatus.Succeeded, null, modelId: null));
        var finished = await Row(database, jobId);
        Assert.Equal((JobStatus.Succeeded, 4, "worker-b/7"), (finished.Status, finished.Epoch, finished.LeaseOwner));
        Assert.Null(finished.LeaseExpiresAt);
        Assert.Equal([4], await db.EpochMetrics.Where(m => m.JobId == jobId).Select(m => m.Epoch).ToListAsync());

        // Once the job has ended, even its last owner's lease holds nothing.
        Assert.False(await current.RenewAsync(db, CancellationToken.None));
        Assert.Equal("nobody: the job has already succeeded", current.DescribeHolder(db));
    }

    [Fact]
    public async Task A_job_whose_lease_ran_out_is_an_orphan_and_one_whose_lease_holds_is_not()
    {
        using var database = new TempDatabase();
        await using (var factory = database.CreateFactory()) factory.CreateClient();
        var now = DateTime.UtcNow;
        await using var db = new BackpropDbContext(database.CreateOptions().Options);
        db.Jobs.AddRange(
            Running("expired", now.AddSeconds(-1)),
            Running("held", now.AddSeconds(30)),
            Running("released", null));
        await db.SaveChangesAsync();

        var orphans = await db.Jobs.Where(JobLease.IsOrphaned(now)).Select(j => j.Id).OrderBy(id => id).ToListAsync();
        Assert.Equal(["expired", "released"], orphans);
        Assert.True(await JobLease.RequeueOrphanAsync(db, "expired", now, CancellationToken.None));
        Assert.False(await JobLease.RequeueOrphanAsync(db, "held", now, CancellationToken.None));
        var requeued = await Row(database, "expired");
        Assert.Equal((JobStatus.Queued, null), (requeued.Status, requeued.LeaseOwner));
        // The lost run counts as an attempt (it was counted at its claim).
        Assert.Equal(1, requeued.Attempts);
    }

    private static JobEntity Running(string id, DateTime? leaseExpiresAt) => new()
    {
        Id = id,
        Name = id,
        DatasetId = "xor",
        Options = "{}",
        Status = JobStatus.Running,
        Epochs = 10,
        Attempts = 1,
        CreatedAt = DateTime.UtcNow,
        StartedAt = DateTime.UtcNow,
        // Far from any live worker's owner name, so the service's own sweep is no concern of this test.
        LeaseOwner = $"gone-worker/{id}",
        LeaseExpiresAt = leaseExpiresAt,
    };

    private static async Task<JobEntity> Row(TempDatabase database, string id)
    {
        await using var db = new BackpropDbContext(database.CreateOptions().Options);
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id);
    }
}
