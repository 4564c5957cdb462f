namespace BackpropService.Api.Tests.Postgres.Infrastructure;

/// <summary>
/// The Redis server of the cluster tests: host:port in <see cref="Variable"/> (.ci/with-test-servers starts one). These
/// tests fail, not skip, without it: a cluster that was never started proves nothing.
/// </summary>
public static class RedisTestServer
{
    public const string Variable = "BACKPROP_TEST_REDIS";

    /// <summary>
    /// A <c>ConnectionStrings:Redis</c> for one test's processes: its own channel prefix, so the processes of tests that
    /// run at the same time on the same server do not hear each other.
    /// </summary>
    public static string ConnectionStringForNewCluster() =>
        $"{Server},channelPrefix=backprop-test-{Guid.NewGuid():N}:";

    private static string Server =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException(
                $"The cluster tests need a Redis server, and {Variable} is not set. Run them with throwaway PostgreSQL and "
                + "Redis servers from Debian's packages (apt-get install postgresql redis-server): .ci/with-test-servers "
                + $"dotnet test tests/Api.Tests.Postgres -c Release ; or set {Variable}=127.0.0.1:6379.");
}
