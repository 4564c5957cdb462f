using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Observability;
using BackpropService.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static SQLitePCL.raw;

namespace BackpropService.Api.Tests;

/// <summary>
/// A job stopped by an error that is not its submitter's fault tells every reader what to do, with the job id to find
/// the details by; the exception itself (type, message) goes to the service log only.
/// </summary>
public sealed class InternalErrorTests
{
    [Fact]
    public async Task A_job_failed_by_an_internal_error_tells_readers_what_to_do_and_only_the_log_has_the_exception()
    {
        // A corrupt database file is not a temporary error: the job fails.
        var (job, logs) = await RunWithRefusedCommandAsync(DatabaseFaults.IsEpochWrite, SQLITE_CORRUPT);

        AssertActionableInternalError(job);
        Assert.Contains(logs, e => e.Level == LogLevel.Error && e.Message.Contains(job.Id) && FindSqlite(e.Exception) is { SqliteErrorCode: SQLITE_CORRUPT });
    }

    [Fact]
    public async Task A_job_whose_training_thread_crashed_tells_readers_what_to_do_and_only_the_log_has_the_exception()
    {
        // The training thread's first read of its job (`Single`: LIMIT 2), before the runner's own error handling.
        var (job, logs) = await RunWithRefusedCommandAsync(
            command => command.CommandText.Contains("FROM \"Jobs\"") && command.CommandText.Contains("LIMIT 2"), SQLITE_CORRUPT);

        AssertActionableInternalError(job);
        Assert.Contains(logs, e => e.Level == LogLevel.Error && e.Message.Contains(job.Id) && FindSqlite(e.Exception) is { SqliteErrorCode: SQLITE_CORRUPT });
    }

    private static void AssertActionableInternalError(Job job)
    {
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.NotNull(job.Error);
        Assert.StartsWith("Training stopped because of an internal error", job.Error);
        Assert.Contains($"(job id {job.Id})", job.Error);
        Assert.Contains("Resubmit the job or contact the operator.", job.Error);
        Assert.DoesNotContain("Exception", job.Error);
        Assert.DoesNotContain("SQLite", job.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DatabaseFaults", job.Error);
    }

    private static async Task<(Job Job, IReadOnlyCollection<CapturedLog> Logs)> RunWithRefusedCommandAsync(
        Func<System.Data.Common.DbCommand, bool> refuse, int sqliteErrorCode)
    {
        using var database = new TempDatabase();
        using var logs = new LogRecorder();
        await using var factory = database.CreateFactory();
        factory.TestServices = services => services.AddSingleton<ILoggerProvider>(logs);
        var faults = new DatabaseFaults();
        faults.AddTo(factory);
        var client = factory.CreateClient();
        faults.Refuse(refuse, sqliteErrorCode, times: 1);

        var submitted = await client.SubmitJobAsync(XorJobs.Request("internal error", epochs: 3));
        var job = await client.WaitUntilFinishedAsync(submitted.Id, TimeSpan.FromSeconds(30));
        Assert.Single(faults.Refused.Items);
        return (job, logs.Entries.Items);
    }

    private static SqliteException? FindSqlite(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is SqliteException sqlite) return sqlite;
        return null;
    }
}
