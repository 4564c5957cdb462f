using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using BackpropService.Api.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>
/// The service in-process, on its own database (<see cref="Database"/>: a SQLite file, or a PostgreSQL database in
/// the PostgreSQL run of these tests), with optional settings.
/// <see cref="AdminKey"/> is its first admin key (<c>Auth:AdminKey</c>), and clients from
/// <c>CreateClient</c> send it; tests of access control make clients with other keys or none.
/// </summary>
public sealed class ServiceFactory(TempDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    /// <summary>The admin key every test service starts with.</summary>
    public const string AdminKey = "bp_test-admin-key-0123456789abcdef";

    public TempDatabase Database { get; } = database;

    /// <summary>Replaces services after the app has registered its own (set before the first client or service is asked for).</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting(PersistenceExtensions.ProviderSetting, TempDatabase.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Default", Database.ConnectionString);
        builder.UseSetting("Training:PollSeconds", "1");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Auth:AdminKey", AdminKey);
        // Tests call predict from one key far faster than a caller sharing a service would (ModelCacheTests hammers
        // it): the per-key rate is raised here, and the tests of the limit set their own (settings below win).
        builder.UseSetting("Limits:Predict:PermitsPerSecond", "10000000");
        builder.UseSetting("Limits:Predict:Burst", "10000000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        if (TestServices is { } configure) builder.ConfigureTestServices(configure);
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
    }

    /// <summary>A client that sends <paramref name="key"/> (or no key at all when null).</summary>
    public HttpClient CreateClientWithKey(string? key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = key is null ? null : new("Bearer", key);
        return client;
    }
}
