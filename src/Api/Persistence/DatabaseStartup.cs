using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>Brings the database to the current schema before the service takes requests.</summary>
public static class DatabaseStartup
{
    /// <summary>Applies the provider's migrations; on SQLite also creates the file's folder if missing and switches to WAL.</summary>
    public static void MigrateDatabase(this IServiceProvider services)
    {
        using var db = services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContext();
        if (db.Database.FileFolder() is { } folder) Directory.CreateDirectory(folder);
        db.Database.Migrate();
        if (db.Database.IsSqlite()) db.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL;");
    }
}
