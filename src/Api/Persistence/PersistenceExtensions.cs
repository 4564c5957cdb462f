using BackpropService.Api.Options;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

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
        {
            var training = builder.Configuration.GetSection(TrainingWorkerOptions.Section).Get<TrainingWorkerOptions>() ?? new TrainingWorkerOptions();
            connectionString = EndStalledTransactions(connectionString,
                TimeSpan.FromSeconds(Math.Max(training.LeaseSeconds, MinimumStalledTransactionSeconds)));
            builder.Services.AddDbContextFactory<BackpropDbContext, PostgresContextFactory>(options => options.UseDatabase(provider, connectionString));
        }
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

    /// <summary>The shortest time a transaction may idle before PostgreSQL ends it (see <see cref="EndStalledTransactions"/>).</summary>
    public const int MinimumStalledTransactionSeconds = 5;

    /// <summary>
    /// Has PostgreSQL end a session of this process that idles inside a transaction for longer than
    /// <paramref name="limit"/> (<c>idle_in_transaction_session_timeout</c>). A worker that stops halfway through an
    /// epoch's write (paused, swapped out, cut off from the network) holds the job's row lock, and nobody could take the
    /// job over when its lease runs out; with this, its transaction ends about a lease later, the lock goes with it,
    /// another worker takes the job over, and the fence (<see cref="JobLease"/>) refuses the stalled worker's writes when
    /// it comes back. The service's own transactions never idle that long: they run a few statements back to back.
    /// </summary>
    public static string EndStalledTransactions(string connectionString, TimeSpan limit)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        string setting = $"-c idle_in_transaction_session_timeout={(long)limit.TotalMilliseconds}";
        connection.Options = string.IsNullOrWhiteSpace(connection.Options) ? setting : $"{connection.Options} {setting}";
        return connection.ConnectionString;
    }

    private static string ConnectionStringFor(DatabaseProvider provider, string? configured) =>
        !string.IsNullOrWhiteSpace(configured) ? configured
        : provider == DatabaseProvider.Sqlite ? DefaultConnectionString
        : throw new InvalidOperationException(
            $"{ProviderSetting} is postgres, so ConnectionStrings:Default must name the PostgreSQL database "
            + "(for example \"Host=db;Database=backprop;Username=backprop;Password=...\").");
}
