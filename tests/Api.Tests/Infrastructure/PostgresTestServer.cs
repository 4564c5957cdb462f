using BackpropService.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server of the PostgreSQL run of the API tests (tests/Api.Tests.Postgres): the connection string in
/// <see cref="Variable"/>, of a user who may create databases. Each test gets a database of its own, dropped afterwards.
/// </summary>
/// <remarks>
/// A test's database is a copy of one migrated once per test run (<see cref="MigratedTemplate"/>): PostgreSQL copies
/// a template's files in a few milliseconds, while running every migration's statements again took a good part of
/// each test's time. The service still migrates on start (then finds nothing to do); the migrations themselves run
/// once per run on the template and, from an empty database, in <c>PostgresOnly/EmptyDatabaseTests</c>.
/// </remarks>
public static class PostgresTestServer
{
    public const string Variable = "BACKPROP_TEST_POSTGRES";

    private static readonly Lazy<string> Template = new(CreateMigratedTemplate);

    /// <summary>The database every test's database is copied from: empty tables at the current schema.</summary>
    public static string MigratedTemplate => Template.Value;

    /// <summary>Creates a database with a new name, a copy of <see cref="MigratedTemplate"/>.</summary>
    public static string CreateDatabase() => CreateDatabase(MigratedTemplate);

    /// <summary>Creates an empty database with a new name (no tables: the service under test migrates it on start).</summary>
    public static string CreateEmptyDatabase() => CreateDatabase(template: null);

    private static string CreateDatabase(string? template)
    {
        string name = $"backprop_test_{Guid.NewGuid():N}";
        Execute(template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        return name;
    }

    /// <summary>An empty database migrated as the service migrates it (<see cref="DatabaseStartup"/>), dropped when the test process exits.</summary>
    private static string CreateMigratedTemplate()
    {
        string name = CreateDatabase(template: null);
        var options = new DbContextOptionsBuilder<BackpropDbContext>().UseDatabase(DatabaseProvider.Postgres, ConnectionStringFor(name)).Options;
        using (var db = new PostgresBackpropDbContext(options)) db.Database.Migrate();
        // A template must have no open connections while it is copied.
        NpgsqlConnection.ClearAllPools();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropDatabase(name);
        return name;
    }

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    public static void DropDatabase(string database)
    {
        // Pooled connections of the service just stopped would keep the database in use.
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ServerConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException(
                $"The PostgreSQL run of the API tests needs a PostgreSQL server, and {Variable} is not set. Run the tests "
                + "with throwaway PostgreSQL and Redis servers from Debian's packages (apt-get install postgresql redis-server): "
                + ".ci/with-test-servers dotnet test BackpropService.sln -c Release ; or set "
                + $"{Variable}=\"Host=127.0.0.1;Port=5432;Username=postgres\" (a user who may create databases).");
}
