using System.Data.Common;
using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Observability;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>
/// Makes the service's database refuse chosen commands with a SQLite error, the way a busy database, a full
/// volume or a failing disk would (an EF Core interceptor: the service's own code above it runs unchanged).
/// Every refused command is recorded, so a test awaits the next refusal instead of sleeping.
/// </summary>
public sealed class DatabaseFaults : DbCommandInterceptor
{
    private readonly Lock _lock = new();
    private Func<DbCommand, bool> _matches = _ => false;
    private int _errorCode;
    private int _toLetThrough;
    private int _toRefuse;

    /// <summary>The text of every command refused so far.</summary>
    public Recorded<string> Refused { get; } = new();

    /// <summary>The commands that store an epoch's metrics (and, in the same transaction, its checkpoint).</summary>
    public static bool IsEpochWrite(DbCommand command) => command.CommandText.Contains("INSERT INTO \"EpochMetrics\"");

    /// <summary>Adds the faults to <paramref name="factory"/>'s database; call before the service starts.</summary>
    public void AddTo(ServiceFactory factory) =>
        factory.TestServices += services => services.ConfigureDbContext<BackpropDbContext>(options => options.AddInterceptors(this));

    /// <summary>From now on, commands that match fail with <paramref name="sqliteErrorCode"/>: the first
    /// <paramref name="letThrough"/> of them still run, then <paramref name="times"/> fail.</summary>
    public void Refuse(Func<DbCommand, bool> matches, int sqliteErrorCode, int letThrough = 0, int times = int.MaxValue)
    {
        lock (_lock)
        {
            _matches = matches;
            _errorCode = sqliteErrorCode;
            _toLetThrough = letThrough;
            _toRefuse = times;
        }
    }

    /// <summary>The database works again.</summary>
    public void Stop() => Refuse(_ => false, 0);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        ThrowIfRefused(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ThrowIfRefused(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        ThrowIfRefused(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ThrowIfRefused(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        ThrowIfRefused(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        ThrowIfRefused(command);
        return ValueTask.FromResult(result);
    }

    private void ThrowIfRefused(DbCommand command)
    {
        int errorCode;
        lock (_lock)
        {
            if (_toRefuse == 0 || !_matches(command)) return;
            if (_toLetThrough > 0)
            {
                _toLetThrough--;
                return;
            }
            _toRefuse--;
            errorCode = _errorCode;
        }
        Refused.Add(command.CommandText);
        // What Microsoft.Data.Sqlite throws for such a result code (its message is SQLite's own text; this one says it is a test's).
        throw new SqliteException($"SQLite Error {errorCode}: refused by the test's DatabaseFaults.", errorCode, errorCode);
    }
}
