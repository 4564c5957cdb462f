using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Tests.PostgresOnly;

/// <summary>
/// A new installation: the service starts on a PostgreSQL database without any tables, migrates it, and works. (Every
/// other test's database is a copy of one migrated once per run, see <see cref="PostgresTestServer"/>.)
/// </summary>
public sealed class EmptyDatabaseTests
{
    [Fact]
    public async Task On_a_database_without_tables_the_service_applies_every_migration_and_trains_a_job()
    {
        using var database = new TempDatabase(fromMigratedTemplate: false);
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        var job = await client.SubmitJobAsync(XorJobs.Request("first", epochs: 3));
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromMinutes(1));
        Assert.Equal(JobStatus.Succeeded, done.Status);

        await using var db = new PostgresBackpropDbContext(database.CreateOptions().Options);
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }
}
