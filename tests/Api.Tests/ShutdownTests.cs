using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.Data.Sqlite;

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
        await using var service = await ServiceBinary.StartAsync(database.Path, TimeSpan.FromMinutes(1));
        var client = service.Client;
        var dataset = await LongJobs.UploadAsync(client);
        var job = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 5000));
        // Polls the REST API: the child process's events are not in reach.
        await client.WaitForJobAsync(job.Id, j => j.Epoch >= 1, TimeSpan.FromMinutes(1));

        await service.TerminateAsync();
        using (var dockersGrace = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await service.Process.WaitForExitAsync(dockersGrace.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the service was still running 10 s after SIGTERM:\n{service.Output}");
            }
        }

        Assert.True(service.Process.ExitCode == 0, $"exit code {service.Process.ExitCode}:\n{service.Output}");
        var (status, epoch, checkpointEpoch) = ReadJob(database.Path, job.Id);
        Assert.Contains(status, new[] { "Running", "Queued" });
        Assert.InRange(epoch, 1, 4999);
        Assert.Equal(epoch, checkpointEpoch);
    }

    private static (string Status, int Epoch, int? CheckpointEpoch) ReadJob(string path, string id)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT j.Status, j.Epoch, c.Epoch FROM Jobs j LEFT JOIN JobCheckpoints c ON c.JobId = j.Id WHERE j.Id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetInt32(2));
    }
}
