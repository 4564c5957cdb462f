using BackpropService.Api.OpenApi;
using BackpropService.Api.Options;
using BackpropService.Contracts.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Extensions;

/// <summary>Cross-cutting set-up: JSON conventions, problem details, limits and shared settings, health endpoints.</summary>
public static class ServiceDefaults
{
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // Settings that several features read (the jobs API, the worker and the model cache read Training).
        services.AddOptions<ServiceLimits>().BindConfiguration(ServiceLimits.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TrainingWorkerOptions>().BindConfiguration(TrainingWorkerOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();

        services.ConfigureHttpJsonOptions(options => ContractJson.Configure(options.SerializerOptions));
        // Binding failures (malformed JSON, unknown enum values, wrong content type) become exceptions
        // that BadRequestExceptionHandler turns into problem details naming the field.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
            // The framework answers a wrong content type by itself; say what to send instead.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
            {
                context.ProblemDetails.Detail = "body: send the request body as application/json.";
                context.ProblemDetails.Extensions.TryAdd("errors",
                    new Dictionary<string, string[]> { ["body"] = ["Send the request body as application/json."] });
            }
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge && context.ProblemDetails.Detail is null)
            {
                var limits = context.HttpContext.RequestServices.GetRequiredService<IOptions<ServiceLimits>>().Value;
                var message = $"The request body is larger than the limit of {limits.MaxJsonBytes:N0} bytes (Limits:MaxJsonBytes); split it.";
                context.ProblemDetails.Detail = $"body: {message}";
                context.ProblemDetails.Extensions.TryAdd("errors", new Dictionary<string, string[]> { ["body"] = [message] });
            }
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();

        // `docker stop` kills the process 10 s after SIGTERM: the host gives up waiting for its services before then,
        // so a stop always ends cleanly (exit code 0). A training job stops within one mini-batch and resumes from its
        // last checkpoint on the next start.
        services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(8));

        // Uploads: the limit is enforced per request by the upload reader (413, with the form's own limits);
        // this is the outer bound.
        var limits = builder.Configuration.GetSection(ServiceLimits.Section).Get<ServiceLimits>() ?? new ServiceLimits();
        services.Configure<KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = limits.MaxUploadBytes + 1024 * 1024);
        return builder;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Only the upload endpoints (documented as multipart forms) may send up to MaxUploadBytes; a JSON
        // body is bounded by MaxJsonBytes, so a huge predict or job body is refused before it is parsed.
        app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<MultipartForm>() is null
                && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = context.RequestServices.GetRequiredService<IOptions<ServiceLimits>>().Value.MaxJsonBytes;
            }
            return next(context);
        });
        return app;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the database answers and takes the
    /// worker's writes; it answers with each check's details as JSON (<see cref="HealthReportJson"/>).</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithTags("Health").AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains("ready"),
                ResponseWriter = HealthReportJson.WriteAsync,
            })
            .WithTags("Health").AllowAnonymous();
        return app;
    }
}
