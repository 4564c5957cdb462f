using System.Text.Json;
using BackpropService.Api.Hosting;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Postgres.Infrastructure;

namespace BackpropService.Api.Tests.Postgres.Cluster;

/// <summary>
/// Two service processes on one PostgreSQL database and one Redis: <see cref="A"/> with role <c>all</c> (it serves and
/// trains), <see cref="B"/> with role <c>api</c> (it serves and trains nothing), so every job is trained by A. A polls
/// the queue only once an hour: a job submitted through B starts because B's message wakes A's worker.
/// </summary>
public sealed class TwoProcessCluster : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public ServiceProcess A { get; private set; } = null!;

    public ServiceProcess B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = RedisTestServer.ConnectionStringForNewCluster(),
            ["Training:WarmUp"] = "false",
            ["Training:PollSeconds"] = "3600",
        };
        A = await ServiceProcess.StartAsync(_database, new Dictionary<string, string?>(settings) { [ServiceRoleExtensions.Key] = "all" });
        B = await ServiceProcess.StartAsync(_database, settings, ["--role", "api"]);
        await WaitUntilJoinedAsync(A);
        await WaitUntilJoinedAsync(B);
    }

    public async Task DisposeAsync()
    {
        if (B is not null) await B.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
    }

    /// <summary>After <see cref="DisposeAsync"/> (xunit calls both): the processes are gone, the database can go.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>The <c>redis</c> entry of the process's <c>/health/ready</c>.</summary>
    public static async Task<JsonElement> RedisHealthAsync(ServiceProcess process)
    {
        using var probe = new HttpClient { BaseAddress = process.BaseAddress };
        var body = await probe.GetStringAsync("health/ready");
        return JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty("redis").Clone();
    }

    /// <summary>Waits until the process has subscribed to the cluster channel (ready answers before that, Degraded).</summary>
    private static async Task WaitUntilJoinedAsync(ServiceProcess process)
    {
        using var timeout = new CancellationTokenSource(JoinTimeout);
        while ((await RedisHealthAsync(process)).GetProperty("status").GetString() != "Healthy")
        {
            if (timeout.IsCancellationRequested) Assert.Fail($"the process did not join the cluster channel:\n{process.Output}");
            await Task.Delay(50);
        }
    }
}
