using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Training;

/// <summary>A job that trains longer than <c>Training:MaxRunTime</c> fails with an error that names the limit, keeping its best model.</summary>
public sealed class RunTimeLimitTests
{
    [Fact]
    public async Task A_job_that_outlasts_the_maximum_run_time_fails_with_an_error_that_names_the_limit_and_the_setting()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Training:MaxRunTime"] = "00:00:02" });
        var client = factory.CreateClient();
        var dataset = await LongJobs.UploadAsync(client);
        // Thousands of epochs: minutes of training, far past the limit.
        var job = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 5000));

        var failed = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromMinutes(1));
        Assert.True(failed.Status == JobStatus.Failed, $"{failed.Status} after epoch {failed.Epoch}: {failed.Error}");
        Assert.Contains("maximum run time of 00:00:02 (setting Training:MaxRunTime)", failed.Error);
        Assert.True(failed.Epoch < failed.Epochs);
        // Whether an epoch completed within the limit depends on the machine; the error says which it was.
        if (failed.Epoch > 0)
        {
            Assert.Contains("The best model so far is kept.", failed.Error);
            Assert.NotNull(failed.ModelId);
        }
        else
        {
            Assert.Contains("no model", failed.Error);
            Assert.Null(failed.ModelId);
        }
    }

    [Fact]
    public async Task The_run_time_counts_the_runs_before_a_restart_and_a_job_past_it_fails_on_resume_keeping_its_best_model()
    {
        using var database = new TempDatabase();
        string jobId;
        int storedEpochs;
        await using (var first = database.CreateFactory())
        {
            var client = first.CreateClient();
            var dataset = await LongJobs.UploadAsync(client);
            jobId = (await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 5000))).Id;
            // Train until the stored epochs add up to more than the limit the next process has.
            storedEpochs = 0;
            while (true)
            {
                var metrics = await client.GetAsync<List<EpochMetrics>>($"api/jobs/{jobId}/metrics");
                if (metrics.Sum(m => m.Seconds) > 1.0)
                {
                    storedEpochs = metrics.Count;
                    break;
                }
                await client.WaitForJobAsync(jobId, j => j.Epoch > metrics.Count, TimeSpan.FromMinutes(1));
            }
        } // A graceful stop: the job stays running and resumes on the next start.

        await using var second = database.CreateFactory(new Dictionary<string, string?> { ["Training:MaxRunTime"] = "00:00:01" });
        var restarted = second.CreateClient();
        var failed = await restarted.WaitUntilFinishedAsync(jobId, TimeSpan.FromMinutes(1));
        Assert.True(failed.Status == JobStatus.Failed, $"{failed.Status}: {failed.Error}");
        Assert.Contains("maximum run time of 00:00:01 (setting Training:MaxRunTime)", failed.Error);
        Assert.Contains("The best model so far is kept.", failed.Error);
        Assert.True(failed.Epoch >= storedEpochs, $"epoch {failed.Epoch}, but {storedEpochs} were stored");
        Assert.NotNull(failed.ModelId);
        Assert.Equal(jobId, (await restarted.GetAsync<ModelInfo>($"api/models/{failed.ModelId}")).JobId);
    }
}
