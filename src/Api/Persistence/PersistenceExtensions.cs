using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>Registers EF Core on SQLite.</summary>
public static class PersistenceExtensions
{
    /// <summary>The database when <c>ConnectionStrings:Default</c> is not set: a file under a
    /// <c>data/</c> folder next to the app.</summary>
    public static string DefaultConnectionString =>
        $"Data Source={Path.Combine(AppContext.BaseDirectory, "data", "backprop.db")}";

    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString("Default");
        var connection = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(configured) ? DefaultConnectionString : configured);
        // Microsoft.Data.Sqlite retries a busy database for up to the command timeout.
        if (connection.DefaultTimeout < 30) connection.DefaultTimeout = 30;
        var connectionString = connection.ToString();

        builder.Services.AddDbContextFactory<BackpropDbContext>(options => options
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmaInterceptor()));
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<BackpropDbContext>("database", tags: ["ready"]);
        return builder;
    }
}
