using System.Net;
using System.Text.Json;
using BackpropService.Api.Models;
using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.Extensions.DependencyInjection;
using static SQLitePCL.raw;

namespace BackpropService.Api.Tests;

/// <summary>
/// A database that refuses writes for a while (busy past the timeout, a full volume, an I/O error) does not fail
/// jobs: the writes are tried again, and when the database keeps refusing them the job waits in the queue, the
/// worker claims nothing, <c>/health/ready</c> says why, and everything resumes once the database takes writes again.
/// </summary>
public sealed class StorageOutageTests
{
    private static readonly Dictionary<string, string?> QuickRetries = new()
    {
        ["Training:StorageRetries"] = "3",
        ["Training:StorageRetryDelayMilliseconds"] = "1",
        ["Training:StoragePauseSeconds"] = "1",
    };

    [Fact]
    public async Task A_few_busy_errors_while_storing_epochs_do_not_fail_the_job_and_every_epoch_is_stored_once()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(QuickRetries);
        var faults = new DatabaseFaults();
        faults.AddTo(factory);
        var client = factory.CreateClient();
        // The second epoch's write meets a busy database three times in a row, the fourth epoch's once.
        faults.Refuse(DatabaseFaults.IsEpochWrite, SQLITE_BUSY, letThrough: 1, times: 3);

        var job = await client.SubmitJobAsync(XorJobs.Request("busy", epochs: 5));
        await faults.Refused.WaitForAsync(_ => faults.Refused.Items.Count == 3, TimeSpan.FromSeconds(30));
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(30));

        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error}");
        var metrics = await client.GetAsync<List<EpochMetrics>>($"api/jobs/{job.Id}/metrics");
        Assert.Equal([1, 2, 3, 4, 5], metrics.Select(m => m.Epoch));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/ready")).StatusCode);
    }

    [Fact]
    public async Task While_the_volume_is_full_the_job_waits_queued_no_job_is_claimed_and_ready_says_why_then_it_resumes_from_its_checkpoint()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(QuickRetries);
        var faults = new DatabaseFaults();
        faults.AddTo(factory);
        var client = factory.CreateClient();
        // Two epochs are stored; from the third on the volume is full.
        faults.Refuse(DatabaseFaults.IsEpochWrite, SQLITE_FULL, letThrough: 2);

        var job = await client.SubmitJobAsync(XorJobs.Request("full", epochs: 6));
        var waiting = await client.WaitForJobAsync(job.Id, j => j.Status != JobStatus.Running && j.Epoch == 2 || j.Status is JobStatus.Failed,
            TimeSpan.FromSeconds(30));
        Assert.True(waiting.Status == JobStatus.Queued, $"{waiting.Status}: {waiting.Error}");
        Assert.Null(waiting.Error);

        var ready = await client.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using (var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Unhealthy", report.RootElement.GetProperty("status").GetString());
            var storage = report.RootElement.GetProperty("checks").GetProperty("storage");
            Assert.Contains("SQLITE_FULL", storage.GetProperty("description").GetString());
            // A SQLite file's volume is this machine's; a PostgreSQL database's is the server's, out of the service's sight.
            if (TempDatabase.Provider == DatabaseProvider.Sqlite)
                Assert.True(storage.GetProperty("data").GetProperty("freeDiskBytes").GetInt64() > 0, storage.ToString());
        }

        // A job submitted now is not claimed: the worker keeps trying the held-back epoch (refused twice more) instead.
        var behind = await client.SubmitJobAsync(XorJobs.Request("behind", epochs: 2));
        int refusedBefore = faults.Refused.Items.Count;
        await faults.Refused.WaitForAsync(_ => faults.Refused.Items.Count >= refusedBefore + 2, TimeSpan.FromSeconds(30));
        var stillWaiting = await client.GetAsync<Job>($"api/jobs/{behind.Id}");
        Assert.Equal(JobStatus.Queued, stillWaiting.Status);
        Assert.Null(stillWaiting.StartedAt);
        Assert.Equal(JobStatus.Queued, (await client.GetAsync<Job>($"api/jobs/{job.Id}")).Status);

        faults.Stop();
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(30));
        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error}");
        Assert.Equal(waiting.StartedAt, done.StartedAt);
        var metrics = await client.GetAsync<List<EpochMetrics>>($"api/jobs/{job.Id}/metrics");
        Assert.Equal([1, 2, 3, 4, 5, 6], metrics.Select(m => m.Epoch));
        Assert.Equal(JobStatus.Succeeded, (await client.WaitUntilFinishedAsync(behind.Id, TimeSpan.FromSeconds(30))).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_job_that_could_not_even_be_marked_failed_goes_back_to_the_queue_and_is_tried_again_instead_of_staying_running()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(QuickRetries);
        factory.TestServices = services => services.AddSingleton<IModelChanges, BrokenModelChanges>();
        var faults = new DatabaseFaults();
        faults.AddTo(factory);
        var client = factory.CreateClient();
        // The model cannot be stored, and the one statement that then marks the job failed meets an I/O error once.
        faults.Refuse(command => command.CommandText.Contains("UPDATE \"Jobs\"") && command.CommandText.Contains("\"Error\""), SQLITE_IOERR, times: 1);

        var job = await client.SubmitJobAsync(XorJobs.Request("unlucky", epochs: 2));
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(30));

        Assert.Single(faults.Refused.Items);
        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.StartsWith("could not store the outcome", done.Error);
    }
}
