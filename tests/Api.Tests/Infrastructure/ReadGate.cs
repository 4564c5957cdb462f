using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>
/// While closed, holds every query that reads <paramref name="table"/> just after it has run (before its rows are
/// read), and says so through <see cref="Held"/>; open, it lets them all go on.
/// </summary>
public sealed class ReadGate(string table) : DbCommandInterceptor
{
    private TaskCompletionSource _open = new();

    public SemaphoreSlim Held { get; } = new(0);

    public void Close() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _open.TrySetResult();

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData,
        DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.Contains($"FROM \"{table}\"", StringComparison.Ordinal) && !_open.Task.IsCompleted)
        {
            Held.Release();
            await _open.Task;
        }
        return result;
    }
}
