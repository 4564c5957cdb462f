using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Tests;

public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task A_job_interrupted_by_a_stop_resumes_from_its_checkpoint_and_the_job_queued_behind_it_runs_too()
    {
        using var database = new TempDatabase();
        // Long enough that the host stops well before the end, however slow its shutdown (40 epochs finished during
        // a stop twice in full-suite runs on a loaded 2-core machine).
        const int epochs = 200;
        string longJobId, queuedJobId;

        // One job at a time: the job queued behind must wait for the long one.
        var oneAtATime = new Dictionary<string, string?> { ["Training:Concurrency"] = "1" };
        var first = database.CreateFactory(oneAtATime);
        await using (first)
        {
            var client = first.CreateClient();
            var dataset = await LongJobs.UploadAsync(client);
            using var events = first.SubscribeToEvents();
            longJobId = (await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs))).Id;
            queuedJobId = (await client.SubmitJobAsync(new SubmitJobRequest
            {
                Name = "behind",
                DatasetId = "xor",
                Layers = [new LayerDefinition(4, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
                Cost = Cost.CrossEntropy,
                Epochs = 5,
            })).Id;
            await first.WaitForEpochAsync(events, longJobId, 2, TimeSpan.FromMinutes(1));
        } // The host stops mid-training, as in a crash.

        var (status, completed) = ReadJobRow(database, longJobId);
        Assert.Equal("Running", status);
        Assert.InRange(completed, 2, epochs - 1);
        Assert.Equal("Queued", ReadJobRow(database, queuedJobId).Status);

        await using var second = database.CreateFactory(oneAtATime);
        var restarted = second.CreateClient();
        var resumed = await restarted.WaitUntilFinishedAsync(longJobId, TimeSpan.FromMinutes(2));
        Assert.True(resumed.Status == JobStatus.Succeeded, $"{resumed.Status}: {resumed.Error}");
        Assert.Equal(epochs, resumed.Epoch);
        Assert.NotNull(resumed.ModelId);

        var metrics = await restarted.GetAsync<List<EpochMetrics>>($"/api/jobs/{longJobId}/metrics");
        Assert.Equal(Enumerable.Range(1, epochs), metrics.Select(m => m.Epoch));

        var behind = await restarted.WaitUntilFinishedAsync(queuedJobId, TimeSpan.FromMinutes(1));
        Assert.Equal(JobStatus.Succeeded, behind.Status);
        // One job at a time (Training:Concurrency 1), and the resumed job goes first: the job queued behind
        // it starts only once it has finished. (StartedAt of the resumed job is kept from the first process.)
        Assert.NotNull(behind.StartedAt);
        Assert.NotNull(resumed.FinishedAt);
        Assert.True(behind.StartedAt >= resumed.FinishedAt,
            $"the queued job started at {behind.StartedAt:O}, before the resumed one finished at {resumed.FinishedAt:O}");
    }

    /// <summary>The job's row as the stopped service left it, read with a context of our own.</summary>
    private static (string Status, int Epoch) ReadJobRow(TempDatabase database, string id)
    {
        using var db = new BackpropDbContext(database.CreateOptions().Options);
        var job = db.Jobs.AsNoTracking().SingleOrDefault(j => j.Id == id);
        Assert.NotNull(job);
        return (job.Status.ToString(), job.Epoch);
    }
}
