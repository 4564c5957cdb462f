using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.PostgresOnly;

/// <summary>
/// Two service processes on one PostgreSQL database share its queue: a job whose worker dies or freezes past its lease
/// is taken over by the other one and resumes from its checkpoint, and the frozen one, once it runs again, cannot write
/// over the new owner; a cancel sent to either process reaches the job wherever it trains. Compiled into tests/Api.Tests.Postgres only: one SQLite file has one process that trains (its
/// start-up takes every running row for an orphan), so these scenarios do not exist there.
/// </summary>
public sealed class LeaseTakeoverTests
{
    private const int Epochs = 150;

    /// <summary>
    /// Short leases, so a takeover takes seconds; one job per process; the lease log lines (information) of the
    /// training classes kept, the rest at warning.
    /// </summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Training:LeaseSeconds"] = "2",
        ["Training:Concurrency"] = "1",
        ["Training:WarmUp"] = "false",
        ["Logging:LogLevel:BackpropService.Api.Training"] = "Information",
    };

    [Fact]
    public async Task A_worker_paused_past_its_lease_cannot_write_after_the_other_worker_took_its_job_over()
    {
        using var database = new TempDatabase();
        await using var first = await ServiceProcess.StartAsync(database, Settings);
        await using var second = await ServiceProcess.StartAsync(database, Settings);
        var (jobId, owner, other, stored) = await StartJobOnOneOfAsync(first, second);
        var client = other.CreateClient();

        // Right after an epoch is stored: the owner is computing the next one, not halfway through writing it.
        await owner.PauseAsync();
        var pausedAt = await client.GetAsync<Job>($"api/jobs/{jobId}");
        var takenOver = await client.WaitForJobAsync(jobId,
            j => j.Status == JobStatus.Running && j.Worker != stored.Worker && j.Epoch > pausedAt.Epoch, TimeSpan.FromMinutes(1));
        Assert.True(IsWorkerOf(other, takenOver.Worker), $"taken over by {takenOver.Worker}, not by the other process");
        await owner.ResumeAsync();

        var finished = await client.WaitUntilFinishedAsync(jobId, TimeSpan.FromMinutes(3));
        Assert.True(finished.Status == JobStatus.Succeeded, $"{finished.Status}: {finished.Error}");
        Assert.Equal(takenOver.Worker, finished.Worker);
        Assert.Equal(Epochs, finished.Epoch);
        // The claim and the takeover.
        Assert.Equal(2, finished.Attempts);
        await AssertEveryEpochStoredOnceAsync(client, jobId);
        await AssertOneModelAsync(client, jobId, finished.ModelId);
        // The paused worker came back, found its lease gone and stopped without writing.
        await WaitUntilAsync(() => owner.Output.Contains("lease lost to", StringComparison.Ordinal), TimeSpan.FromMinutes(1),
            () => $"the paused worker never noticed it lost the job:\n{owner.Output}");
    }

    [Fact]
    public async Task A_job_whose_worker_is_killed_goes_back_to_the_queue_when_its_lease_runs_out_and_resumes_on_the_other_worker()
    {
        using var database = new TempDatabase();
        await using var first = await ServiceProcess.StartAsync(database, Settings);
        await using var second = await ServiceProcess.StartAsync(database, Settings);
        var (jobId, owner, other, stored) = await StartJobOnOneOfAsync(first, second);
        var client = other.CreateClient();

        await owner.KillAsync();
        var resumed = await client.WaitForJobAsync(jobId, j => j.Status == JobStatus.Running && j.Worker != stored.Worker,
            TimeSpan.FromMinutes(1));
        Assert.True(IsWorkerOf(other, resumed.Worker), $"resumed by {resumed.Worker}, not by the other process");
        // From the checkpoint: what the killed worker stored is kept.
        Assert.True(resumed.Epoch >= stored.Epoch, $"resumed at epoch {resumed.Epoch}, but {stored.Epoch} were stored");
        Assert.Equal(2, resumed.Attempts);
        Assert.NotNull(resumed.LeaseExpiresAt);

        var finished = await client.WaitUntilFinishedAsync(jobId, TimeSpan.FromMinutes(3));
        Assert.True(finished.Status == JobStatus.Succeeded, $"{finished.Status}: {finished.Error}");
        Assert.Equal(Epochs, finished.Epoch);
        Assert.Equal(2, finished.Attempts);
        Assert.Null(finished.LeaseExpiresAt);
        await AssertEveryEpochStoredOnceAsync(client, jobId);
        await AssertOneModelAsync(client, jobId, finished.ModelId);
    }

    [Fact]
    public async Task A_cancel_sent_to_the_process_that_does_not_train_the_job_stops_it_on_the_one_that_does()
    {
        using var database = new TempDatabase();
        await using var first = await ServiceProcess.StartAsync(database, Settings);
        await using var second = await ServiceProcess.StartAsync(database, Settings);
        var (jobId, owner, other, stored) = await StartJobOnOneOfAsync(first, second);
        var client = other.CreateClient();

        // The other process has no run to cancel: the owner reads the flag when it renews its lease.
        var accepted = await client.PostAsync($"api/jobs/{jobId}/cancel", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);
        var cancelled = await client.WaitUntilFinishedAsync(jobId, TimeSpan.FromMinutes(1));
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal(stored.Worker, cancelled.Worker);
        Assert.True(cancelled.Epoch < Epochs, $"the job ran all {Epochs} epochs");
        // Cancelled after an epoch: the best model so far is kept.
        await AssertOneModelAsync(client, jobId, cancelled.ModelId);
        Assert.NotNull(cancelled.ModelId);
        Assert.True(IsWorkerOf(owner, cancelled.Worker), $"cancelled by {cancelled.Worker}, not by the process that trained it");
    }

    /// <summary>
    /// Submits a long job and waits until one of the two processes trains it (that one is the owner) and has stored an
    /// epoch more since: the job as it is then, read through the other process.
    /// </summary>
    private static async Task<(string JobId, ServiceProcess Owner, ServiceProcess Other, Job Stored)> StartJobOnOneOfAsync(
        ServiceProcess first, ServiceProcess second)
    {
        var client = first.CreateClient();
        var dataset = await LongJobs.UploadAsync(client);
        var job = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, Epochs));
        var claimed = await client.WaitForJobAsync(job.Id, j => j.Status == JobStatus.Running && j.Epoch >= 1, TimeSpan.FromMinutes(1));
        Assert.NotNull(claimed.Worker);
        Assert.NotNull(claimed.LeaseExpiresAt);
        var (owner, other) = IsWorkerOf(first, claimed.Worker) ? (first, second) : (second, first);
        Assert.True(IsWorkerOf(owner, claimed.Worker), $"claimed by {claimed.Worker}, which is neither process");
        var stored = await other.CreateClient().WaitForJobAsync(job.Id, j => j.Epoch > claimed.Epoch, TimeSpan.FromMinutes(1));
        return (job.Id, owner, other, stored);
    }

    /// <summary>A lease owner names its process: <c>{machine}-{pid}-{random}/{claim}</c>.</summary>
    private static bool IsWorkerOf(ServiceProcess process, string? worker) =>
        worker is not null && worker.Contains($"-{process.ProcessId}-", StringComparison.Ordinal);

    /// <summary>Epochs 1 to <see cref="Epochs"/>, each once, in order: no epoch written twice, none missing.</summary>
    private static async Task AssertEveryEpochStoredOnceAsync(HttpClient client, string jobId)
    {
        var metrics = await client.GetAsync<List<EpochMetrics>>($"api/jobs/{jobId}/metrics");
        Assert.Equal(Enumerable.Range(1, Epochs), metrics.Select(m => m.Epoch));
    }

    /// <summary>The job finished once: one model came out of it, the one it names.</summary>
    private static async Task AssertOneModelAsync(HttpClient client, string jobId, string? modelId)
    {
        var models = await client.GetAsync<List<ModelInfo>>("api/models?limit=100");
        Assert.Equal([modelId], models.Where(m => m.JobId == jobId).Select(m => (string?)m.Id));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail(failure());
            await Task.Delay(50);
        }
    }
}
