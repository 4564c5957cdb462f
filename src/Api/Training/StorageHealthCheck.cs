using BackpropService.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BackpropService.Api.Training;

/// <summary>
/// Part of <c>/health/ready</c>: Unhealthy while the database refuses the worker's writes (<see cref="StorageOutage"/>),
/// naming the error. Every answer carries the free space of the database's volume (<c>freeDiskBytes</c>), the first
/// thing to look at when the error is <c>SQLITE_FULL</c>.
/// </summary>
public sealed class StorageHealthCheck(StorageOutage outage, IDbContextFactory<BackpropDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        if (await FreeDiskBytesAsync(cancellationToken) is { } free) data["freeDiskBytes"] = free;
        if (outage.Current is not { } current)
            return HealthCheckResult.Healthy("The database takes the worker's writes.", data);

        var reason = TransientStorageErrors.Describe(current.Error);
        data["error"] = reason;
        data["since"] = current.Since;
        data["nextAttempt"] = current.NextAttempt;
        return new HealthCheckResult(context.Registration.FailureStatus,
            $"Training is paused: the database refuses writes ({reason}) since {current.Since:O}. Jobs wait in the " +
            $"queue and resume from their checkpoints; the worker tries again at {current.NextAttempt:O}.", data: data);
    }

    private async Task<long?> FreeDiskBytesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (db.Database.FileFolder() is not { } folder) return null;
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
