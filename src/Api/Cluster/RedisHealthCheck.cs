using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace BackpropService.Api.Cluster;

/// <summary>
/// Part of <c>/health/ready</c> when <c>ConnectionStrings:Redis</c> is set: Healthy while this process hears the others
/// over <see cref="ClusterChannel"/>; Degraded (the answer stays 200: the process keeps serving) while it does not,
/// naming the endpoint and what that means. Every answer carries the endpoints and, when Redis answers, its round trip.
/// </summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis, ClusterChannel channel) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        string endpoints = string.Join(", ", redis.GetEndPoints().Select(e => e.ToString()));
        var data = new Dictionary<string, object> { ["endpoints"] = endpoints, ["processId"] = channel.ProcessId };
        string? error = null;
        if (redis.IsConnected)
        {
            try
            {
                data["pingMilliseconds"] = (await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken)).TotalMilliseconds;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                error = e.Message;
            }
        }
        else
        {
            error = "not connected";
        }
        if (error is null && channel.Listening)
            return HealthCheckResult.Healthy("This process hears the other processes' events and changes over Redis.", data);

        data["error"] = error ?? "not subscribed to the cluster channel yet";
        return HealthCheckResult.Degraded(
            $"Redis ({endpoints}) is unreachable ({data["error"]}): this process serves on its own. Hub clients here miss " +
            "other processes' epochs, cancels sent here reach only jobs trained here, and API keys are read from the " +
            "database on every request until it is back.", data: data);
    }
}
