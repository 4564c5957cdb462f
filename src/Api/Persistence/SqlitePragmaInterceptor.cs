using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackpropService.Api.Persistence;

/// <summary>
/// Per-connection SQLite settings: wait for a busy database instead of failing with "database is
/// locked", and the usual WAL pairing of synchronous=NORMAL. (journal_mode=WAL itself is stored in the
/// file; <see cref="DatabaseStartup"/> sets it once.)
/// </summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
