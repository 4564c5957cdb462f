using BackpropService.Api.Access;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BackpropService.Api.Observability;

/// <summary>
/// Metrics, traces and logs through OpenTelemetry: <c>GET /metrics</c> in the Prometheus text format (the service's
/// <see cref="BackpropMetrics"/>, ASP.NET Core's HTTP server metrics, the runtime's), and, when
/// <see cref="OtlpEndpointKey"/> is set, traces (<see cref="BackpropActivities"/>, HTTP requests), metrics and
/// logs pushed over OTLP. JSON console logs are the framework's own formatter, one setting away
/// (<c>Logging:Console:FormatterName=json</c>).
/// </summary>
public static class ObservabilityExtensions
{
    /// <summary>OpenTelemetry's standard setting (an environment variable, or any configuration source): where OTLP goes.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The <c>service.name</c> of every exported signal, unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string ServiceName = "backprop-service";

    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BackpropMetrics>();
        builder.Services.AddSingleton<JobTraceContexts>();

        // With Logging:Console:FormatterName=json each line is one JSON object that carries its scopes (the job
        // id on the training thread, the request's trace id) and a UTC timestamp. Log messages never hold keys,
        // connection strings or request bodies; EF Core's sensitive-data logging stays off.
        builder.Services.Configure<JsonConsoleFormatterOptions>(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(BackpropMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                // No cached answer: every scrape sees the queue as it is now (a scrape costs two indexed COUNTs).
                .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        // Spans are only recorded when they can go somewhere: without an endpoint StartActivity returns null.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(BackpropActivities.SourceName)
                .AddAspNetCoreInstrumentation());
            telemetry.UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>Maps <c>GET /metrics</c>; the one place that decides who may scrape.</summary>
    public static WebApplication MapObservability(this WebApplication app)
    {
        // Created now, so the gauges are there from the first scrape, before any job or predict used the instruments.
        app.Services.GetRequiredService<BackpropMetrics>();
        // A key with the `metrics` (or `admin`) scope, which Prometheus sends as a bearer token (README, "Operating").
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(AccessPolicies.Metrics);
        return app;
    }
}
