using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

/// <summary>
/// A job that gets its process killed (out of memory, a native fault) must not restart forever: after
/// <c>Training:MaxAttempts</c> interrupted runs it fails, keeping its best model, and the queue goes on.
/// </summary>
public sealed class InterruptedJobTests
{
    [Fact]
    public async Task A_job_whose_process_is_killed_MaxAttempts_times_fails_with_its_best_model_and_the_job_behind_it_runs()
    {
        using var database = new TempDatabase();
        // One job at a time, so the short job waits behind the long one through every kill.
        // A short lease: on PostgreSQL, which several processes may share, the next process takes a killed one's job
        // only once its lease has run out (a SQLite file has one process, whose start-up takes it at once).
        var settings = new Dictionary<string, string?>
        {
            ["Training:Concurrency"] = "1",
            ["Training:WarmUp"] = "false",
            ["Training:LeaseSeconds"] = "3",
        };
        const int maxAttempts = 3; // Training:MaxAttempts's default
        string longJobId = "", behindJobId = "";
        int killedAfterEpoch = 0;

        for (int attempt = 1; attempt <= maxAttempts; attempt++)
        {
            await using var service = await ServiceProcess.StartAsync(database, settings);
            var client = service.CreateClient();
            if (attempt == 1)
            {
                var dataset = await LongJobs.UploadAsync(client);
                longJobId = (await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 5000))).Id;
                behindJobId = (await client.SubmitJobAsync(XorJobs.Request("behind", epochs: 5))).Id;
            }
            // This process claims it (its attempt number `attempt`), trains at least one epoch of it, then dies.
            var claimed = await client.WaitForJobAsync(longJobId, j => j.Attempts == attempt, TimeSpan.FromMinutes(1));
            Assert.Equal(JobStatus.Running, claimed.Status);
            Assert.True(claimed.Epoch >= killedAfterEpoch, $"resumed at epoch {claimed.Epoch}, but {killedAfterEpoch} were stored");
            var trained = await client.WaitForJobAsync(longJobId, j => j.Epoch > claimed.Epoch, TimeSpan.FromMinutes(1));
            killedAfterEpoch = trained.Epoch;
            await service.KillAsync();
        }

        await using var last = await ServiceProcess.StartAsync(database, settings);
        var restarted = last.CreateClient();
        var failed = await restarted.WaitForJobAsync(longJobId, j => j.Status != JobStatus.Queued && j.Status != JobStatus.Running,
            TimeSpan.FromMinutes(1));
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains($"interrupted {maxAttempts} times", failed.Error);
        Assert.Contains("best model so far is kept", failed.Error);
        Assert.Equal(maxAttempts, failed.Attempts);
        Assert.True(failed.Epoch >= killedAfterEpoch, $"epoch {failed.Epoch}, but {killedAfterEpoch} were stored before the last kill");
        Assert.NotNull(failed.ModelId);
        var model = await restarted.GetAsync<ModelInfo>($"api/models/{failed.ModelId}");
        Assert.Equal(longJobId, model.JobId);

        var behind = await restarted.WaitUntilFinishedAsync(behindJobId, TimeSpan.FromMinutes(1));
        Assert.True(behind.Status == JobStatus.Succeeded, $"{behind.Status}: {behind.Error}");
    }
}
