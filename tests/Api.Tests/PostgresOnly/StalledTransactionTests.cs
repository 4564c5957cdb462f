using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BackpropService.Api.Tests.PostgresOnly;

/// <summary>
/// A worker paused halfway through an epoch's write holds its job's row lock; PostgreSQL must end its transaction about
/// a lease later, or no other worker could ever take the job over (LeaseTakeoverTests hung on it when the pause landed
/// inside the write).
/// </summary>
public sealed class StalledTransactionTests
{
    [Fact]
    public async Task A_session_that_idles_in_its_transaction_past_the_limit_is_ended_and_its_row_lock_freed()
    {
        using var database = new TempDatabase();
        await using (var setup = new NpgsqlConnection(database.ConnectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE stall (id int PRIMARY KEY); INSERT INTO stall VALUES (1);", setup);
            await create.ExecuteNonQueryAsync();
        }

        // The stalled worker: locks the row inside a transaction, then sends nothing more.
        await using var stalled = new NpgsqlConnection(PersistenceExtensions.EndStalledTransactions(database.ConnectionString, TimeSpan.FromSeconds(1)));
        await stalled.OpenAsync();
        await using var transaction = await stalled.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT id FROM stall WHERE id = 1 FOR UPDATE", stalled, transaction))
            await lockRow.ExecuteScalarAsync();

        // Another worker wants the row: it gets it once the server has ended the stalled session.
        await using var other = new NpgsqlConnection(database.ConnectionString);
        await other.OpenAsync();
        await using var takeOver = new NpgsqlCommand("SELECT id FROM stall WHERE id = 1 FOR UPDATE", other);
        Assert.Equal(1, await takeOver.ExecuteScalarAsync().WaitAsync(TimeSpan.FromMinutes(1)));

        // And the stalled session cannot write any more.
        await using var late = new NpgsqlCommand("UPDATE stall SET id = 2 WHERE id = 1", stalled, transaction);
        await Assert.ThrowsAnyAsync<Exception>(() => late.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task The_service_sessions_end_a_stalled_transaction_after_a_lease()
    {
        using var database = new TempDatabase();
        await using var factory = new ServiceFactory(database, new Dictionary<string, string?> { ["Training:LeaseSeconds"] = "7" });
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var setting = await db.Database.SqlQueryRaw<string>("SELECT current_setting('idle_in_transaction_session_timeout') AS \"Value\"").SingleAsync();
        Assert.Equal("7s", setting);
    }
}
