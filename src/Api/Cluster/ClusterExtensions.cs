using BackpropService.Api.Hosting;
using BackpropService.Api.Training;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace BackpropService.Api.Cluster;

/// <summary>
/// Several processes as one service. Without <c>ConnectionStrings:Redis</c> there is one process and nobody to tell
/// (<see cref="NoPeerProcesses"/>): nothing below is registered. With it, one Redis connection carries the SignalR
/// backplane, the shared data-protection key ring (the dashboard's sign-in cookie and antiforgery tokens work on every
/// process) and <see cref="ClusterChannel"/> (training events, cancels, cache changes).
/// </summary>
public static class ClusterExtensions
{
    /// <summary>The connection string's name: <c>ConnectionStrings:Redis</c> (StackExchange.Redis syntax).</summary>
    public const string ConnectionStringName = "Redis";

    /// <summary>Names the key ring, so that every process of the service reads cookies the others wrote.</summary>
    public const string ApplicationName = "BackpropService";

    /// <summary>The Redis list holding the data-protection key ring.</summary>
    public const string KeyRingKey = "backprop:data-protection-keys";

    /// <summary>Registers the cluster features; call after the features it extends (training events, SignalR).</summary>
    public static IHostApplicationBuilder AddCluster(this IHostApplicationBuilder builder, ServiceRole role)
    {
        var services = builder.Services;
        string? connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton<IPeerProcesses, NoPeerProcesses>();
            return builder;
        }

        var options = ConfigurationOptions.Parse(connectionString);
        // Start and serve while Redis is away; the connection is made again in the background.
        options.AbortOnConnectFail = false;
        options.ClientName ??= $"backprop-{Environment.MachineName}-{Environment.ProcessId}";
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));

        services.AddSingleton<ClusterChannel>();
        services.AddSingleton<IPeerProcesses>(s => s.GetRequiredService<ClusterChannel>());
        services.AddSingleton<ClusterTrainingEvents>();
        services.Replace(ServiceDescriptor.Singleton<ITrainingEvents>(s => s.GetRequiredService<ClusterTrainingEvents>()));
        services.AddSingleton<CacheInvalidation>();
        services.AddHostedService<ClusterListener>();

        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        if (!role.ServesApi()) return builder;

        services.AddSignalR().AddStackExchangeRedis();
        services.AddOptions<RedisOptions>().Configure<IConnectionMultiplexer>((redis, connection) =>
            redis.ConnectionFactory = _ => Task.FromResult(connection));
        // The backplane, and this process's own lifetime manager for the connections it cannot take while Redis is away.
        services.AddSingleton(typeof(RedisHubLifetimeManager<>));
        services.AddSingleton(typeof(DefaultHubLifetimeManager<>));
        services.Replace(ServiceDescriptor.Singleton(typeof(HubLifetimeManager<>), typeof(RedisFallbackHubLifetimeManager<>)));

        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((keys, connection) =>
            keys.XmlRepository = new RedisXmlRepository(() => connection.GetDatabase(), KeyRingKey));
        return builder;
    }
}
