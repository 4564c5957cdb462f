using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BackpropService.Web.Tests.Infrastructure;

/// <summary>
/// The whole service (API, hub, dashboard) on a real Kestrel port on 127.0.0.1, on its own temporary SQLite file,
/// with <see cref="AdminKey"/> as its first admin key (<c>Auth:AdminKey</c>).
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    /// <summary>The admin key the service starts with; <see cref="Http"/> sends it, and browser pages sign in with it.</summary>
    public const string AdminKey = "bp_web-test-admin-key-0123456789abcdef";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "backprop-web-tests", Guid.NewGuid().ToString("N"));
    private readonly Factory _factory;

    /// <param name="settings">Configuration on top of the defaults (for example <c>Training:Concurrency</c>).</param>
    public DashboardHost(IReadOnlyDictionary<string, string?>? settings = null)
    {
        Directory.CreateDirectory(_folder);
        _factory = new Factory(Path.Combine(_folder, "backprop.db"), HubOutage, settings ?? new Dictionary<string, string?>());
        _factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        Http.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
    }

    /// <summary>Cuts the training hub off and restores it (the dashboard's live connection drops and must recover).</summary>
    public HubOutage HubOutage { get; } = new();

    /// <summary>Where the browser goes, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A plain HTTP client of the same server, with the admin key, for setting up data through the public API.</summary>
    public HttpClient Http { get; }

    private readonly List<IBrowserContext> _browserContexts = [];

    /// <summary>Closes <paramref name="context"/> (a browser session on this server) before the server stops.</summary>
    public void Owns(IBrowserContext context) => _browserContexts.Add(context);

    public async ValueTask DisposeAsync()
    {
        // The browser leaves first, as a person closes the tab: a page left open kept rendering after its test (its
        // reconnect attempts against the stopped server took half a core while later tests ran).
        foreach (var context in _browserContexts) await context.CloseAsync();
        Http.Dispose();
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown; the temp folder is cleaned up eventually anyway.
        }
    }

    private sealed class Factory(string databasePath, HubOutage hubOutage, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Development: static web assets (the dashboard's CSS/JS, Plotly) are served from the build output.
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Default", $"Data Source={databasePath}");
            builder.UseSetting("Training:PollSeconds", "1");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Auth:AdminKey", AdminKey);
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(hubOutage));
        }
    }
}
