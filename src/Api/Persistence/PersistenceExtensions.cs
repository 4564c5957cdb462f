using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>Registers EF Core on the configured database: SQLite (the default) or PostgreSQL (<c>Database:Provider</c>).</summary>
public static class PersistenceExtensions
{
    public const string ProviderSetting = "Database:Provider";

    /// <summary>The database when <c>ConnectionStrings:Default</c> is not set: a file under a
    /// <c>data/</c> folder next to the app.</summary>
    public static string DefaultConnectionString =>
        $"Data Source={Path.Combine(AppContext.BaseDirectory, "data", "backprop.db")}";

    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        var provider = ProviderFrom(builder.Configuration[ProviderSetting]);
        string connectionString = ConnectionStringFor(provider, builder.Configuration.GetConnectionString("Default"));
        if (provider == DatabaseProvider.Postgres)
            builder.Services.AddDbContextFactory<BackpropDbContext, PostgresContextFactory>(options => options.UseDatabase(provider, connectionString));
        else
            builder.Services.AddDbContextFactory<BackpropDbContext>(options => options.UseDatabase(provider, connectionString));
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<BackpropDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>The provider that <c>Database:Provider</c> names; unset means SQLite.</summary>
    public static DatabaseProvider ProviderFrom(string? setting) =>
        string.IsNullOrWhiteSpace(setting) || string.Equals(setting.Trim(), "sqlite", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Sqlite
        : string.Equals(setting.Trim(), "postgres", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Postgres
        : throw new InvalidOperationException($"{ProviderSetting} is '{setting}'; use sqlite (the default) or postgres.");

    /// <summary>
    /// Points <paramref name="options"/> at the database, with the per-provider settings the service relies on. The
    /// service and the tests that build a context of their own both come through here.
    /// </summary>
    public static TBuilder UseDatabase<TBuilder>(this TBuilder options, DatabaseProvider provider, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        if (provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(connectionString);
            return options;
        }
        var connection = new SqliteConnectionStringBuilder(connectionString);
        // Microsoft.Data.Sqlite retries a busy database for up to the command timeout.
        if (connection.DefaultTimeout < 30) connection.DefaultTimeout = 30;
        options.UseSqlite(connection.ToString()).AddInterceptors(new SqlitePragmaInterceptor());
        return options;
    }

    private static string ConnectionStringFor(DatabaseProvider provider, string? configured) =>
        !string.IsNullOrWhiteSpace(configured) ? configured
        : provider == DatabaseProvider.Sqlite ? DefaultConnectionString
        : throw new InvalidOperationException(
            $"{ProviderSetting} is postgres, so ConnectionStrings:Default must name the PostgreSQL database "
            + "(for example \"Host=db;Database=backprop;Username=backprop;Password=...\").");
}
