using System.Security.Claims;
using System.Threading.RateLimiting;
using BackpropService.Api.Http;
using BackpropService.Api.Predict;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Extensions;

/// <summary>
/// How much of the service one request or one caller may take: ASP.NET Core's rate limiting (one rejection answer,
/// <see cref="RateLimitRejection"/>, for every policy) and request timeouts, with the predict routes' policies
/// (<see cref="PredictLimits"/>). A feature adds its own policy with <c>services.Configure&lt;RateLimiterOptions&gt;</c>
/// and its sentence with <c>services.Configure&lt;RateLimitPolicyDescriptions&gt;</c>.
/// </summary>
public static class RequestLimitsExtensions
{
    public static IHostApplicationBuilder AddRequestLimits(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PredictLimits>().BindConfiguration(PredictLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PredictComputeLimiter>();

        services.AddRateLimiter(options => options.OnRejected = RateLimitRejection.OnRejectedAsync);
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<PredictLimits>>((options, predict) =>
        {
            var bucket = TokenBucket(predict.Value);
            Func<string, TokenBucketRateLimiterOptions> bucketForKey = _ => bucket;
            // Authorization has run: every request here carries a key. Its id, not its name, which may repeat.
            options.AddPolicy(PredictLimits.RatePolicy, context =>
                RateLimitPartition.GetTokenBucketLimiter(context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", bucketForKey));
        });
        services.AddOptions<RateLimitPolicyDescriptions>().Configure<IOptions<PredictLimits>>((descriptions, predict) =>
            descriptions.Add(PredictLimits.RatePolicy, predict.Value.RateDescription));

        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<PredictLimits>>((options, predict) =>
            options.AddPolicy(PredictLimits.TimeoutPolicy, new RequestTimeoutPolicy
            {
                Timeout = TimeSpan.FromSeconds(predict.Value.TimeoutSeconds),
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = context => TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout,
                    title: "The request took too long.", detail: predict.Value.TimeoutDescription).ExecuteAsync(context),
            }));
        return builder;
    }

    /// <summary>After access control, so that limits are counted per authenticated key and a request without one costs nothing here.</summary>
    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        return app;
    }

    /// <summary>
    /// The bucket each API key gets: <see cref="PredictLimits.Burst"/> tokens, refilled at
    /// <see cref="PredictLimits.PermitsPerSecond"/>. A refused request is not queued (its answer says when to retry).
    /// </summary>
    private static TokenBucketRateLimiterOptions TokenBucket(PredictLimits limits)
    {
        // Whole tokens per period: from 1 request per second up, the bucket refills each second; below, one token
        // every 1/rate seconds.
        bool slow = limits.PermitsPerSecond < 1;
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = slow ? 1 : (int)Math.Round(limits.PermitsPerSecond),
            ReplenishmentPeriod = slow ? TimeSpan.FromSeconds(1 / limits.PermitsPerSecond) : TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        };
    }
}
