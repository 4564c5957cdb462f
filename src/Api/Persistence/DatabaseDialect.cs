using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BackpropService.Api.Persistence;

/// <summary>
/// What differs between SQLite and PostgreSQL above the shared model, in one place: how a check-then-write sequence
/// gets its lock, how a unique-index violation shows, and whether there is a database file (with a folder) at all.
/// </summary>
public static class DatabaseDialect
{
    // SQLite's result codes SQLITE_CONSTRAINT and SQLITE_CONSTRAINT_UNIQUE.
    private const int SqliteConstraintFailed = 19, SqliteUniqueConstraintFailed = 2067;

    /// <summary>
    /// Begins a transaction in which reads and writes about <paramref name="resource"/> (e.g. <c>"dataset:{id}"</c>)
    /// are not interleaved with those of any other such transaction on the same resource. Microsoft.Data.Sqlite begins
    /// transactions IMMEDIATE, so on SQLite this already holds the whole database's write lock; PostgreSQL's default
    /// READ COMMITTED isolation would let two transactions check, then both write, so there the transaction first takes
    /// an advisory lock on the resource (released at commit or rollback).
    /// </summary>
    public static async Task<IDbContextTransaction> BeginWriteTransactionAsync(this DatabaseFacade database, string resource,
        CancellationToken cancellationToken)
    {
        var transaction = await database.BeginTransactionAsync(cancellationToken);
        if (database.IsNpgsql())
        {
            long key = LockKey(resource);
            await database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
        }
        return transaction;
    }

    /// <summary>A unique index refused an insert or update (SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's 23505).</summary>
    public static bool IsUniqueViolation(this DbUpdateException e) => e.InnerException
        is SqliteException { SqliteErrorCode: SqliteConstraintFailed, SqliteExtendedErrorCode: SqliteUniqueConstraintFailed }
        or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>The folder of the SQLite database file; null for an in-memory database and on PostgreSQL, where no file is ours.</summary>
    public static string? FileFolder(this DatabaseFacade database)
    {
        if (!database.IsSqlite()) return null;
        var dataSource = new SqliteConnectionStringBuilder(database.GetConnectionString()).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:") return null;
        return Path.GetDirectoryName(Path.GetFullPath(dataSource));
    }

    /// <summary>A stable 64-bit advisory-lock key for a resource name, the same in every process.</summary>
    private static long LockKey(string resource) =>
        BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(resource)));
}
