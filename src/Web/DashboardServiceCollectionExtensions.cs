using BackpropService.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Web;

/// <summary>Registers the dashboard's clients of the service: a typed HttpClient and the hub connector.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <param name="apiBaseAddress">The service's base address; called once, on first use.</param>
    public static IServiceCollection AddDashboardClients(this IServiceCollection services, Func<IServiceProvider, Uri> apiBaseAddress)
    {
        services.AddSingleton(sp => new ApiAddress(() => apiBaseAddress(sp)));
        services.AddSingleton<TrainingHubConnector>();
        services.AddHttpClient<BackpropApiClient>((sp, http) =>
        {
            http.BaseAddress = sp.GetRequiredService<ApiAddress>().BaseUri;
            http.Timeout = TimeSpan.FromMinutes(5);
        });
        return services;
    }
}
