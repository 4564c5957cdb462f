using BackpropService.Api.Access;
using BackpropService.Api.Options;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;

namespace BackpropService.Api.Hubs;

/// <summary>Registers and maps the live-update hub.</summary>
public static class LiveUpdatesExtensions
{
    public static IHostApplicationBuilder AddLiveUpdates(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR()
            .AddJsonProtocol(options => ContractJson.Configure(options.PayloadSerializerOptions));
        builder.Services.AddOptions<LiveUpdateOptions>().BindConfiguration(LiveUpdateOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<JobSubscriptions>();
        builder.Services.AddSingleton<ClientOutboxes>();
        builder.Services.AddHostedService<TrainingEventForwarder>();
        return builder;
    }

    public static WebApplication MapTrainingHub(this WebApplication app)
    {
        // The dashboard and other clients watch training: that needs train (a predict-only key cannot subscribe).
        app.MapHub<TrainingHub>(TrainingHubMethods.Path).RequireAuthorization(AccessPolicies.Train);
        return app;
    }
}
