using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Tests;

/// <summary>
/// <c>docker stop</c> sends SIGTERM and kills the process 10 s later: the service, training a job, must be gone
/// before then, cleanly, with the job left to resume from its last checkpoint.
/// </summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task On_SIGTERM_while_a_job_trains_the_service_exits_with_0_within_dockers_10_seconds_and_the_job_can_resume()
    {
        using var database = new TempDatabase();
        await using var service = await ServiceProcess.StartAsync(database);
        var client = service.CreateClient();
        var dataset = await LongJobs.UploadAsync(client);
        var job = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 5000));
        // Polls the REST API: the child process's events are not in reach.
        await client.WaitForJobAsync(job.Id, j => j.Epoch >= 1, TimeSpan.FromMinutes(1));

        await service.TerminateAsync();
        int exitCode = -1;
        using (var dockersGrace = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                exitCode = await service.WaitForExitAsync(dockersGrace.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the service was still running 10 s after SIGTERM:\n{service.Output}");
            }
        }

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{service.Output}");
        var (status, epoch, checkpointEpoch) = ReadJob(database, job.Id);
        Assert.Contains(status, new[] { "Running", "Queued" });
        Assert.InRange(epoch, 1, 4999);
        Assert.Equal(epoch, checkpointEpoch);
    }

    private static (string Status, int Epoch, int? CheckpointEpoch) ReadJob(TempDatabase database, string id)
    {
        using var db = new BackpropDbContext(database.CreateOptions().Options);
        var job = db.Jobs.AsNoTracking().Single(j => j.Id == id);
        int? checkpointEpoch = db.Checkpoints.AsNoTracking().Where(c => c.JobId == id).Select(c => (int?)c.Epoch).FirstOrDefault();
        return (job.Status.ToString(), job.Epoch, checkpointEpoch);
    }
}
