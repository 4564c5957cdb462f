using Microsoft.Data.Sqlite;
using Npgsql;
using static SQLitePCL.raw;

namespace BackpropService.Api.Persistence;

/// <summary>
/// Which database errors are temporary: the same write can succeed a moment or an operator's fix later, so the
/// job that met one is kept, not failed. Decided from SQLite's result code, never from message text:
/// <list type="bullet">
/// <item><c>SQLITE_BUSY</c>, <c>SQLITE_LOCKED</c>: another writer held the database past the busy timeout
/// (e.g. a large dataset being inserted).</item>
/// <item><c>SQLITE_FULL</c>: the database's volume has no space left.</item>
/// <item><c>SQLITE_IOERR</c>: the disk failed a read or write.</item>
/// <item>On PostgreSQL: what Npgsql marks transient (a lost or refused connection, a timeout), a full disk
/// (<c>53100</c>), a serialization failure or deadlock (<c>40001</c>, <c>40P01</c>).</item>
/// </list>
/// </summary>
public static class TransientStorageErrors
{
    /// <summary>The temporary SQLite error in <paramref name="exception"/> or its inner exceptions (EF Core wraps
    /// failed saves in a <c>DbUpdateException</c>); null when there is none.</summary>
    public static SqliteException? Find(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is SqliteException sqlite && IsTransient(sqlite)) return sqlite;
        return null;
    }

    public static bool IsTransient(Exception exception) => Find(exception) is not null || FindPostgres(exception) is not null;

    /// <summary>The temporary PostgreSQL error in <paramref name="exception"/> or its inner exceptions; null when there is none.</summary>
    private static NpgsqlException? FindPostgres(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: "53100" or "40001" or "40P01" } or NpgsqlException { IsTransient: true })
                return (NpgsqlException)e;
        }
        return null;
    }

    /// <summary>What went wrong, for the operator: the code's name and what it means, e.g.
    /// "SQLITE_FULL: the database's volume is full".</summary>
    public static string Describe(Exception exception) => Find(exception) is { } sqlite
        ? PrimaryCode(sqlite) switch
        {
            SQLITE_BUSY => "SQLITE_BUSY: another connection kept the database busy past the busy timeout",
            SQLITE_LOCKED => "SQLITE_LOCKED: a table stayed locked by another connection",
            SQLITE_FULL => "SQLITE_FULL: the database's volume is full",
            _ => "SQLITE_IOERR: the disk failed a read or write of the database",
        }
        : FindPostgres(exception) is { } postgres
            ? postgres is PostgresException { SqlState: var state } ? $"PostgreSQL {state}: {postgres.Message}" : $"PostgreSQL unreachable: {postgres.Message}"
        : $"an unexpected database error ({exception.GetType().Name}); the service log has the details";

    private static bool IsTransient(SqliteException e) =>
        PrimaryCode(e) is SQLITE_BUSY or SQLITE_LOCKED or SQLITE_FULL or SQLITE_IOERR;

    /// <summary>The primary result code: the low byte, whether SQLite reported the extended code (e.g.
    /// SQLITE_IOERR_WRITE) or the primary one.</summary>
    private static int PrimaryCode(SqliteException e) => e.SqliteErrorCode & 0xFF;
}
