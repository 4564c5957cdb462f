using System.Security.Claims;
using BackpropService.Api.Access;
using BackpropService.Api.Mapping;
using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using BackpropService.Api.Predict;
using BackpropService.Contracts;
using BackpropService.Engine.Explain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Apis;

/// <summary>
/// <c>/api/limits</c>: every limit that can refuse a request or end a job, read from the same options (and the same
/// engine bounds) the enforcing code reads, with the caller's own use of its quotas.
/// </summary>
public static class LimitsApi
{
    public static IEndpointRouteBuilder MapLimitsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/limits", GetLimits).WithTags("Limits")
            .WithSummary("Every limit that can refuse a request or end a job, as configured, and how many more jobs the calling key may queue.")
            .WithDescription("Sizes are in bytes, times in seconds, rates per second, the rest counts (each field says its unit and its "
                + "setting). The first three fields are the request sizes; the others are grouped by what they bound: predict, jobs, "
                + "sweeps, datasets, explain, paging, liveUpdates; caller is the key's own use of its quotas.");
        // Any valid key may read them (the fallback policy): a predict-only caller sizes its batches with them too.
        return app;
    }

    public static async Task<Ok<RequestLimits>> GetLimits(
        ClaimsPrincipal user, IDbContextFactory<BackpropDbContext> dbFactory, IOptions<ServiceLimits> limits,
        IOptions<PredictLimits> predict, IOptions<TrainingWorkerOptions> training, IOptions<LiveUpdateOptions> liveUpdates,
        CancellationToken cancellationToken)
    {
        var service = limits.Value;
        return TypedResults.Ok(new RequestLimits(
            service.MaxUploadBytes, service.MaxJsonBytes, service.MaxPredictRows, ServiceLimits.MaxNameLength,
            Describe(predict.Value), Describe(service, training.Value),
            new SweepLimits(service.MaxSweepPoints, SweepsApi.MaxNameLength),
            new DatasetLimits(service.MaxDatasetBytes, service.MaxCsvColumns, service.MaxCsvFieldLength, service.MaxClasses,
                service.MaxQueuedUploads, service.DatasetReadConcurrency, service.DatasetReadQueue),
            DescribeExplain(),
            new PagingLimits(ListPaging.DefaultLimit, ListPaging.MaxLimit),
            new LiveUpdateLimits(liveUpdates.Value.MaxSubscriptionsPerConnection, liveUpdates.Value.MaxQueuedEventsPerConnection),
            await QuotaOfAsync(user.RequiredCaller(), service.MaxQueuedJobsPerKey, dbFactory, cancellationToken)));
    }

    private static PredictRequestLimits Describe(PredictLimits predict) =>
        new(predict.PermitsPerSecond, predict.Burst, predict.Concurrency, predict.QueueLength, predict.TimeoutSeconds);

    /// <summary>A job's limits as the engine checks them: the service's, lowered where the engine's own are tighter.</summary>
    private static JobLimits Describe(ServiceLimits service, TrainingWorkerOptions training)
    {
        var engine = service.ToEngine();
        var network = engine.Network.WithinEngine();
        return new JobLimits(service.MaxQueuedJobsPerKey, training.MaxRunTime.TotalSeconds, training.MaxAttempts,
            engine.MaxEpochs, engine.MaxBatchSize, network.MaxLayers, network.MaxLayerSize, network.MaxParameters,
            engine.MaxActivationValues, JobsApi.MaxBoundaryResolution);
    }

    private static ExplainLimits DescribeExplain()
    {
        var network = StepThrough.Limits.WithinEngine();
        return new ExplainLimits(network.MaxLayers, network.MaxLayerSize, network.MaxParameters);
    }

    /// <summary>The key's queued jobs against the cap, counted as a submission counts them; none for a key that cannot submit.</summary>
    private static async Task<CallerQuota> QuotaOfAsync(Caller caller, int maxQueued, IDbContextFactory<BackpropDbContext> dbFactory,
        CancellationToken cancellationToken)
    {
        if (!caller.Scopes.Grants(ApiKeyScope.Train)) return new CallerQuota(null, null);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        int queued = await db.QueuedJobsOfAsync(caller.KeyId, cancellationToken);
        return new CallerQuota(queued, Math.Max(0, maxQueued - queued));
    }
}
