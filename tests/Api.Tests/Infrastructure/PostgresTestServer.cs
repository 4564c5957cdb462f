using Npgsql;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server of the PostgreSQL run of the API tests (tests/Api.Tests.Postgres): the connection string in
/// <see cref="Variable"/>, of a user who may create databases. Each test gets a database of its own, dropped afterwards.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "BACKPROP_TEST_POSTGRES";

    /// <summary>Creates an empty database with a new name; the service under test migrates it on start.</summary>
    public static string CreateDatabase()
    {
        string name = $"backprop_test_{Guid.NewGuid():N}";
        Execute($"CREATE DATABASE \"{name}\"");
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
