using BackpropService.Web.Access;
using BackpropService.Web.Services;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Web;

/// <summary>Registers the dashboard's sign-in and its clients of the service: a typed HttpClient and the hub connector.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <param name="apiBaseAddress">The service's base address; called once, on first use.</param>
    public static IServiceCollection AddDashboardClients(this IServiceCollection services, Func<IServiceProvider, Uri> apiBaseAddress)
    {
        services.AddSingleton(sp => new ApiAddress(() => apiBaseAddress(sp)));
        services.AddScoped<DashboardSession>();
        services.AddScoped<TrainingHubConnector>();
        services.AddHttpClient<BackpropApiClient>((sp, http) =>
        {
            http.BaseAddress = sp.GetRequiredService<ApiAddress>().BaseUri;
            http.Timeout = TimeSpan.FromMinutes(5);
        });
        return services;
    }

    /// <summary>
    /// The dashboard's sign-in: a cookie scheme (<see cref="DashboardAuthentication"/>) and the page policies
    /// (<see cref="DashboardPolicies"/>). The host registers an <see cref="IApiKeyVerifier"/> that checks keys.
    /// </summary>
    public static IServiceCollection AddDashboardSignIn(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(DashboardAuthentication.Scheme, options =>
        {
            options.Cookie.Name = DashboardAuthentication.CookieName;
            options.Cookie.HttpOnly = true;
            // Never sent with a request started by another site; Secure whenever the page came over HTTPS.
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = DashboardAuthentication.LoginPath;
            options.LogoutPath = DashboardAuthentication.LogoutPath;
            options.AccessDeniedPath = DashboardAuthentication.AccessDeniedPath;
            options.ReturnUrlParameter = DashboardAuthentication.ReturnUrlParameter;
            options.ExpireTimeSpan = DashboardAuthentication.IdleTimeout;
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = DashboardSignIn.ValidateSessionAsync;
        });
        services.AddAuthorizationBuilder().AddDashboardPolicies();
        services.AddCascadingAuthenticationState();
        services.AddScoped<DashboardSignIn>();
        return services;
    }
}
