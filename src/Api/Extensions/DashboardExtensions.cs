using BackpropService.Api.Access;
using BackpropService.Web;
using BackpropService.Web.Access;
using BackpropService.Web.Components;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BackpropService.Api.Extensions;

/// <summary>
/// Hosts the Blazor dashboard (src/Web) at <c>/</c>. The dashboard calls this service like any other
/// client, at <c>Dashboard:ApiBaseUrl</c>, or by default at the server's own listening address, with
/// the key its visitor signed in with at <c>/login</c> (a cookie session that only the dashboard accepts).
/// </summary>
public static class DashboardExtensions
{
    public const string ApiBaseUrlKey = "Dashboard:ApiBaseUrl";

    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddDashboardSignIn();
        builder.Services.AddSingleton<IApiKeyVerifier, DashboardKeyVerifier>();
        string? configured = builder.Configuration[ApiBaseUrlKey];
        builder.Services.AddDashboardClients(services =>
            string.IsNullOrWhiteSpace(configured) ? OwnAddress(services) : new Uri(configured.TrimEnd('/') + "/"));
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        // Styles, scripts and _framework/blazor.web.js: the sign-in page needs them before anyone is signed in.
        app.MapStaticAssets().AllowAnonymous();
        // Every page and the circuit's _blazor hub need a dashboard session; /login says [AllowAnonymous] itself.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization(DashboardPolicies.SignedIn);
        app.MapDashboardEndpoints();
        return app;
    }

    /// <summary>The first address the server listens on, with a wildcard host replaced by the loopback address.</summary>
    private static Uri OwnAddress(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"The server's listening address is unknown; set {ApiBaseUrlKey}.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "localhost";
        uri.Path = "/";
        return uri.Uri;
    }
}
