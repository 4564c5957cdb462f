using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>Brings the database to the current schema before the service takes requests.</summary>
public static class DatabaseStartup
{
    /// <summary>Creates the database folder if missing, applies migrations and switches to WAL.</summary>
    public static void MigrateDatabase(this IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BackpropDbContext>();
        CreateFolderFor(db.Database.GetConnectionString());
        db.Database.Migrate();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL;");
    }

    private static void CreateFolderFor(string? connectionString)
    {
        if (FolderOf(connectionString) is { } folder) Directory.CreateDirectory(folder);
    }

    /// <summary>The folder of the database file; null for an in-memory database.</summary>
    public static string? FolderOf(string? connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:") return null;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        return string.IsNullOrEmpty(folder) ? null : folder;
    }
}
