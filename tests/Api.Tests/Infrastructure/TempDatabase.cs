using BackpropService.Api.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>
/// One test's own database, deleted afterwards: a SQLite file in a temporary folder, or, when these tests are
/// compiled into tests/Api.Tests.Postgres (<c>POSTGRES_TESTS</c>), a new database on the PostgreSQL server of
/// <see cref="PostgresTestServer"/>.
/// </summary>
public sealed class TempDatabase : IDisposable
{
    /// <summary>The provider this test assembly runs the service on.</summary>
#if POSTGRES_TESTS
    public static DatabaseProvider Provider { get; } = DatabaseProvider.Postgres;
#else
    public static DatabaseProvider Provider { get; } = DatabaseProvider.Sqlite;
#endif

    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backprop-tests", Guid.NewGuid().ToString("N"));
    private readonly string? _postgresDatabase;

    public TempDatabase()
    {
        Directory.CreateDirectory(_folder);
        if (Provider == DatabaseProvider.Postgres)
        {
            _postgresDatabase = PostgresTestServer.CreateDatabase();
            ConnectionString = PostgresTestServer.ConnectionStringFor(_postgresDatabase);
        }
        else
        {
            ConnectionString = $"Data Source={Path}";
        }
    }

    /// <summary>The SQLite database file (its folder also gets admin.key); the tests in SqliteOnly/ read it directly.</summary>
    public string Path => System.IO.Path.Combine(_folder, "backprop.db");

    /// <summary>What the service gets as <c>ConnectionStrings:Default</c>.</summary>
    public string ConnectionString { get; }

    public ServiceFactory CreateFactory(IReadOnlyDictionary<string, string?>? settings = null) => new(this, settings);

    /// <summary>Options for a context of the test's own on this database, set up as the service sets up its own.</summary>
    public DbContextOptionsBuilder<BackpropDbContext> CreateOptions() =>
        new DbContextOptionsBuilder<BackpropDbContext>().UseDatabase(Provider, ConnectionString);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null) PostgresTestServer.DropDatabase(_postgresDatabase);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown; the temp folder is cleaned up eventually anyway.
        }
    }
}
