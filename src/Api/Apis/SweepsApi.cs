using System.Security.Claims;
using BackpropService.Api.Access;
using BackpropService.Api.Cluster;
using BackpropService.Api.Datasets;
using BackpropService.Api.Mapping;
using BackpropService.Api.Models;
using BackpropService.Api.Observability;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Options;
using BackpropService.Api.Paging;
using BackpropService.Api.Persistence;
using BackpropService.Api.Sweeps;
using BackpropService.Api.Training;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Apis;

/// <summary>
/// <c>/api/sweeps</c>: many ordinary jobs from one request (a grid or random draws over job settings), queued together,
/// and ranked by a metric. The jobs train like any other, claimed round-robin with other keys' jobs.
/// </summary>
public static class SweepsApi
{
    /// <summary>Longest sweep name: its jobs are named "&lt;name&gt; #n (values)" within a job name's length.</summary>
    public const int MaxNameLength = ServiceLimits.MaxNameLength / 2;

    /// <summary>The list's name in its page cursors (and its path under /api).</summary>
    private const string ListName = "sweeps";

    public static IEndpointRouteBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sweeps").WithTags("Sweeps").RequireAuthorization(AccessPolicies.Train);
        api.MapPost("/", SubmitSweep)
            .WithSummary("Queues one job per point of a grid (every combination) or of random draws over job settings (paths such as learningRate or layers[0].size), "
                + "all or none: at most Limits:MaxSweepPoints points, and the key's queued jobs stay within Limits:MaxQueuedJobsPerKey (429 beyond).")
            .WithJsonExamples(SweepExamples.All)
            .ProducesJsonBodyProblems()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/", ListSweeps).WithSummary("Lists sweeps, newest first, a page at a time, each with its jobs ranked.");
        api.MapGet("/{id}", GetSweep)
            .WithSummary("Gets one sweep: its jobs ranked by the best value of its metric (lowest loss, highest accuracy; jobs without a value yet last), with each job's swept values.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/cancel", CancelSweep)
            .WithSummary("Cancels the sweep's queued and running jobs, as POST /api/jobs/{id}/cancel does each; finished jobs keep their results.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Accepted<Sweep>, ValidationProblem, ProblemHttpResult>> SubmitSweep(
        SubmitSweepRequest request, ClaimsPrincipal user, DatasetCatalog catalog, IDbContextFactory<BackpropDbContext> dbFactory,
        JobSignal signal, ITrainingEvents events, IOptions<ServiceLimits> limits, IOptions<TrainingWorkerOptions> worker,
        JobTraceContexts traces, CancellationToken cancellationToken)
    {
        using var span = BackpropActivities.Source.StartActivity("sweep submit");
        var errors = new ValidationErrors();
        string name = (request.Name ?? "").Trim();
        if (name.Length == 0) errors.Add("name", "Required: the sweep's name; its jobs are named after it (\"<name> #3 (learningRate=0.1)\").");
        else if (name.Length > MaxNameLength) errors.Add("name", $"The name may have at most {MaxNameLength} characters (its jobs' names add the point's values).");
        else if (name.Contains(ModelReference.Separator)) errors.Add("name", ModelReference.NameWithAtSign);
        if (request.Base is null) errors.Add("base", "Required: a job request as POST /api/jobs takes it; the sweep varies its settings.");
        var plan = SweepPlan.Create(request, limits.Value.MaxSweepPoints, errors);
        if (plan is null || errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        // Each point's job is checked as POST /api/jobs checks one; the dataset is looked up once.
        var datasets = new Dictionary<string, DatasetInfo?>(StringComparer.Ordinal);
        async Task<DatasetInfo?> FindDataset(string id) =>
            datasets.TryGetValue(id, out var found) ? found : datasets[id] = await catalog.FindAsync(id, cancellationToken);
        var jobs = await SweepJobs.ValidateAsync(plan, request.Base!, name, FindDataset, limits.Value, worker.Value.Threads, errors);
        if (jobs is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        var metric = request.Metric ?? SweepMetric.ValidationLoss;
        CheckMetric(metric, jobs, errors);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var creator = user.RequiredCaller().AsCreator;
        var now = DateTime.UtcNow;
        var sweep = new SweepEntity
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = name,
            Metric = metric,
            Request = EntityMapping.Write(request with { Name = name, Metric = metric, Seed = plan.Kind == SweepKind.Random ? request.Seed ?? JobDefaults.Seed : null }),
            CreatedAt = now,
            CreatedByKeyId = creator.Id,
            CreatedByName = creator.Name,
        };
        var entities = jobs.Select((job, index) => new JobEntity
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = job.Name,
            DatasetId = job.Valid.Dataset.Id,
            Status = JobStatus.Queued,
            Options = EntityMapping.Write(job.Valid.Options),
            Epochs = job.Valid.Options.Epochs,
            // A microsecond apart: the key's jobs are claimed oldest first, so the points train in order.
            CreatedAt = now.AddTicks(index * TimeSpan.TicksPerMicrosecond),
            CreatedByKeyId = creator.Id,
            CreatedByName = creator.Name,
            SweepId = sweep.Id,
            SweepPoint = job.Point.Number,
        }).ToList();
        string datasetId = entities[0].DatasetId;

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // The jobs' dataset (the base request's: a sweep does not vary it) under its lock, as POST /api/jobs does.
            await using var transaction = await db.Database.BeginWriteTransactionAsync(DatasetCatalog.WriteLock(datasetId), cancellationToken);
            if (!await db.DatasetStillExistsAsync(datasetId, cancellationToken))
                return TypedResults.ValidationProblem(JobsApi.DatasetDeletedJustNow(datasetId));
            // All or nothing: the sweep's jobs count against the key's queue as if submitted one by one.
            int maxQueued = limits.Value.MaxQueuedJobsPerKey;
            int queued = await db.QueuedJobsOfAsync(creator.Id, cancellationToken);
            if (queued + entities.Count > maxQueued) return ApiProblems.TooManyQueuedJobs(maxQueued, queued, entities.Count);
            db.Sweeps.Add(sweep);
            db.Jobs.AddRange(entities);
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        span?.SetTag("sweep.id", sweep.Id);
        foreach (var job in entities)
        {
            traces.Remember(job.Id, span);
            events.Publish(new JobUpdatedEvent(job.ToContract(latest: null, queuePosition: null)));
        }
        signal.Notify();
        return TypedResults.Accepted($"/api/sweeps/{sweep.Id}", SweepRanking.ToContract(sweep, entities, new Dictionary<string, JobBestMetrics>()));
    }

    public static async Task<Results<PagedList<Sweep>, ValidationProblem>> ListSweeps(
        IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken, string? limit = null, string? after = null)
    {
        var errors = new ValidationErrors();
        var page = PageRequest.Read(ListName, limit, after, errors);
        if (page is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sweeps = await db.LoadSweepsAsync(db.Sweeps.NewestFirst(page.After, page.ItemsToRead), cancellationToken);
        return PagedList<Sweep>.From(sweeps, page, ListName, s => (s.CreatedAt.UtcDateTime, s.Id));
    }

    public static async Task<Results<Ok<Sweep>, ProblemHttpResult>> GetSweep(
        string id, IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.GetSweepAsync(id, cancellationToken) is { } sweep ? TypedResults.Ok(sweep) : ApiProblems.NotFound("Sweep", id);
    }

    public static async Task<Results<Accepted<Sweep>, ProblemHttpResult>> CancelSweep(
        string id, ClaimsPrincipal user, IDbContextFactory<BackpropDbContext> dbFactory, JobCancellations cancellations,
        IPeerProcesses peers, ITrainingEvents events, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owner = await db.Sweeps.Where(s => s.Id == id).Select(s => new { s.CreatedByKeyId, s.CreatedByName }).FirstOrDefaultAsync(cancellationToken);
        if (owner is null) return ApiProblems.NotFound("Sweep", id);
        if (!user.RequiredCaller().MayModify(owner.CreatedByKeyId)) return ApiProblems.NotOwner("Sweep", id, owner.CreatedByName);

        var active = await db.Jobs.Where(j => j.SweepId == id && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .OrderBy(j => j.SweepPoint).Select(j => j.Id).ToListAsync(cancellationToken);
        // Each job as POST /api/jobs/{id}/cancel cancels it (the sweep's creator is each job's creator).
        foreach (string jobId in active) await JobsApi.RequestCancelAsync(db, jobId, cancellations, peers, events, cancellationToken);

        var sweep = (await db.GetSweepAsync(id, cancellationToken))!;
        if (active.Count == 0 && sweep.Status != SweepStatus.Cancelled)
            return ApiProblems.Conflict($"The sweep has already finished ({WireName.Of(sweep.Status)}); only a sweep with queued or running jobs can be cancelled.");
        return TypedResults.Accepted($"/api/sweeps/{id}", sweep);
    }

    /// <summary>The metric must exist for the jobs: validation metrics need validation data, accuracy needs classes.</summary>
    private static void CheckMetric(SweepMetric metric, List<SweepJobs.PointJob> jobs, ValidationErrors errors)
    {
        if (metric == SweepMetric.TrainLoss) return;
        if (jobs.Any(j => j.Valid.Options.ValidationSplit == 0))
            errors.Add("metric", $"{WireName.Of(metric)} needs validation data, and some of the sweep's jobs keep none (validationSplit 0): "
                + "give base.validationSplit above 0, or rank by trainLoss.");
        if (metric == SweepMetric.ValidationAccuracy && jobs[0].Valid.Dataset.Task != LearningTask.Classification)
            errors.Add("metric", $"The dataset '{jobs[0].Valid.Dataset.Id}' is for regression, which has no accuracy; rank by validationLoss or trainLoss.");
    }
}
