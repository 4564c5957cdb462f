using BackpropService.Api.Models;
using System.Security.Claims;
using BackpropService.Api.Access;
using BackpropService.Api.Cluster;
using BackpropService.Api.Datasets;
using BackpropService.Api.Mapping;
using BackpropService.Api.Observability;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Options;
using BackpropService.Api.Paging;
using BackpropService.Api.Persistence;
using BackpropService.Api.Training;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using BackpropService.Engine.Data;
using Trainer = BackpropService.Engine.Training.Trainer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Apis;

/// <summary>
/// <c>/api/jobs</c>: submit (validate, store, signal, 202), list, get, metrics, cancel, delete, and the decision
/// boundary of the job's current weights. Endpoints never train.
/// </summary>
public static class JobsApi
{
    /// <summary>Most grid points per axis of the decision boundary (<c>?resolution=</c>).</summary>
    public const int MaxBoundaryResolution = 100;

    /// <summary>The list's name in its page cursors (and its path under /api).</summary>
    private const string ListName = "jobs";

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization(AccessPolicies.Train);
        api.MapPost("/", SubmitJob)
            .WithSummary("Queues a training job. Only datasetId, layers and epochs are required. A key may have at most Limits:MaxQueuedJobsPerKey jobs queued (429 beyond).")
            .WithJsonExamples([.. JobPresets.All.Select(preset => new RequestExample(preset.Name, preset.Summary, preset.Request))])
            .ProducesJsonBodyProblems()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/", ListJobs).WithSummary("Lists jobs, newest first (optionally only those with ?status=), a page at a time; a queued job has its queuePosition.");
        api.MapGet("/{id}", GetJob).WithSummary("Gets one job, with its latest epoch's metrics and, while it is queued, its queuePosition (1: trained next).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/metrics", GetMetrics).WithSummary("Gets every completed epoch's metrics, in order.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/cancel", CancelJob)
            .WithSummary("Cancels a queued or running job; a running job stops within one mini-batch and keeps its best model so far (none before its first epoch completes).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/{id}", DeleteJob).WithSummary("Deletes a job that is not running, with its metrics.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{id}/decision-boundary", GetDecisionBoundary)
            .WithSummary("For a 2-feature classification job: the class-1 score (or winning class) of the weights in its latest checkpoint (the last stored epoch's, not the best-validation ones) on a grid, with the data points.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithDatasetReadLimit();
        return app;
    }

    public static async Task<Results<Accepted<Job>, ValidationProblem, ProblemHttpResult>> SubmitJob(
        SubmitJobRequest request, ClaimsPrincipal user, DatasetCatalog catalog, IDbContextFactory<BackpropDbContext> dbFactory,
        JobSignal signal, ITrainingEvents events, IOptions<ServiceLimits> limits, IOptions<TrainingWorkerOptions> worker,
        JobTraceContexts traces, CancellationToken cancellationToken)
    {
        using var span = BackpropActivities.Source.StartActivity("job submit");
        var errors = new ValidationErrors();
        var valid = await JobRequestValidator.ValidateAsync(request, id => catalog.FindAsync(id, cancellationToken),
            limits.Value, worker.Value.Threads, errors);
        if (valid is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        var (options, dataset) = valid;

        var creator = user.RequiredCaller().AsCreator;
        var entity = new JobEntity
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = string.IsNullOrWhiteSpace(request.Name) ? dataset.Name : request.Name.Trim(),
            DatasetId = dataset.Id,
            Status = JobStatus.Queued,
            Options = EntityMapping.Write(options),
            Epochs = options.Epochs,
            CreatedAt = DateTime.UtcNow,
            CreatedByKeyId = creator.Id,
            CreatedByName = creator.Name,
        };
        int? queuePosition;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Under the dataset's lock, as a dataset delete is: the delete runs wholly before this, and we see the
            // dataset gone, or wholly after, and sees this job.
            await using var transaction = await db.Database.BeginWriteTransactionAsync(DatasetCatalog.WriteLock(dataset.Id), cancellationToken);
            if (!await db.DatasetStillExistsAsync(dataset.Id, cancellationToken))
                return TypedResults.ValidationProblem(DatasetDeletedJustNow(dataset.Id));
            // Under the same write lock: two submissions at once cannot both take the last place.
            int maxQueued = limits.Value.MaxQueuedJobsPerKey;
            if (await db.QueuedJobsOfAsync(creator.Id, cancellationToken) >= maxQueued)
                return ApiProblems.TooManyQueuedJobs(maxQueued);
            db.Jobs.Add(entity);
            // The row is the durable queue entry; from here on the job is never lost.
            await db.SaveChangesAsync(CancellationToken.None);
            // In the same transaction, which sees this job: its place at the moment of the count.
            queuePosition = await db.QueuePositionAsync(entity, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        span?.SetTag("job.id", entity.Id);
        traces.Remember(entity.Id, span);
        signal.Notify();
        var job = entity.ToContract(latest: null, queuePosition);
        events.Publish(new JobUpdatedEvent(job));
        return TypedResults.Accepted($"/api/jobs/{entity.Id}", job);
    }

    public static async Task<Results<PagedList<Job>, ValidationProblem>> ListJobs(
        IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken,
        string? status = null, string? limit = null, string? after = null)
    {
        var errors = new ValidationErrors();
        JobStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<JobStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
                errors.Add("status", $"'{status}' is not accepted here; use one of: queued, running, succeeded, failed, cancelled.");
            else filter = parsed;
        }
        var page = PageRequest.Read(ListName, limit, after, errors);
        if (page is null || errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Jobs.AsQueryable();
        if (filter is { } wanted) query = query.Where(j => j.Status == wanted);
        var jobs = await db.LoadJobsAsync(query.NewestFirst(page.After, page.ItemsToRead), cancellationToken);
        // The join with the metrics does not keep the page query's order.
        jobs = [.. jobs.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal)];
        return PagedList<Job>.From(jobs, page, ListName, j => (j.CreatedAt.UtcDateTime, j.Id));
    }

    public static async Task<Results<Ok<Job>, ProblemHttpResult>> GetJob(
        string id, IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.GetJobAsync(id, cancellationToken) is { } job ? TypedResults.Ok(job) : ApiProblems.NotFound("Job", id);
    }

    public static async Task<Results<Ok<List<EpochMetrics>>, ProblemHttpResult>> GetMetrics(
        string id, IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Jobs.AnyAsync(j => j.Id == id, cancellationToken)) return ApiProblems.NotFound("Job", id);
        var metrics = await db.EpochMetrics.AsNoTracking().Where(m => m.JobId == id).OrderBy(m => m.Epoch)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(metrics.Select(m => m.ToContract()).ToList());
    }

    public static async Task<Results<Accepted<Job>, ProblemHttpResult>> CancelJob(
        string id, ClaimsPrincipal user, IDbContextFactory<BackpropDbContext> dbFactory, JobCancellations cancellations,
        IPeerProcesses peers, ITrainingEvents events, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.CheckJobOwnerAsync(id, user, cancellationToken) is { } refused) return refused;
        var (job, wasActive) = await RequestCancelAsync(db, id, cancellations, peers, events, cancellationToken);
        if (job is null) return ApiProblems.NotFound("Job", id);
        if (wasActive || job.Status == JobStatus.Cancelled) return TypedResults.Accepted($"/api/jobs/{id}", job);
        return ApiProblems.Conflict($"The job has already {WireName.Of(job.Status)}; only queued or running jobs can be cancelled.");
    }

    /// <summary>
    /// Cancels the job if it is queued (at once) or running (it stops within one mini-batch); what cancelling a job and
    /// cancelling a sweep both do, after checking who asks. Returns the job as it is afterwards (null if there is none),
    /// and whether it was still queued or running.
    /// </summary>
    public static async Task<(Job? Job, bool WasActive)> RequestCancelAsync(
        BackpropDbContext db, string id, JobCancellations cancellations, IPeerProcesses peers, ITrainingEvents events,
        CancellationToken cancellationToken)
    {
        // The flag first: a job claimed right now sees it when it starts; one already training is cancelled below.
        int active = await db.Jobs.Where(j => j.Id == id && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), cancellationToken);
        if (active == 0) return (await db.GetJobAsync(id, cancellationToken), false);

        var now = DateTime.UtcNow;
        int dequeued = await db.Jobs.Where(j => j.Id == id && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Cancelled).SetProperty(j => j.FinishedAt, now), cancellationToken);
        // Running here, or else on whichever process trains it.
        if (dequeued == 0 && !cancellations.Cancel(id)) await peers.CancelJobAsync(id, cancellationToken);

        var job = (await db.GetJobAsync(id, cancellationToken))!;
        if (dequeued == 1) events.Publish(new JobUpdatedEvent(job));
        return (job, true);
    }

    /// <summary>The answer to a submission whose dataset a delete removed between its validation and its write.</summary>
    public static Dictionary<string, string[]> DatasetDeletedJustNow(string datasetId) => ValidationErrors.One("datasetId",
        $"The dataset '{datasetId}' was deleted just now; upload it again or choose another.");

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteJob(
        string id, ClaimsPrincipal user, IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.CheckJobOwnerAsync(id, user, cancellationToken) is { } refused) return refused;
        int deleted = await db.Jobs.Where(j => j.Id == id && j.Status != JobStatus.Running).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 1) return TypedResults.NoContent();
        return await db.Jobs.AnyAsync(j => j.Id == id, cancellationToken)
            ? ApiProblems.Conflict("The job is running; cancel it first, then delete it.")
            : ApiProblems.NotFound("Job", id);
    }

    public static async Task<Results<Ok<DecisionBoundary>, ValidationProblem, ProblemHttpResult>> GetDecisionBoundary(
        string id, IDbContextFactory<BackpropDbContext> dbFactory, DatasetCatalog catalog, CancellationToken cancellationToken,
        int resolution = 40)
    {
        if (resolution is < 2 or > MaxBoundaryResolution)
            return TypedResults.ValidationProblem(ValidationErrors.One("resolution", $"Use 2 to {MaxBoundaryResolution} grid points per axis."));
        string datasetId;
        byte[]? checkpoint;
        int epoch;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var job = await db.Jobs.AsNoTracking().Where(j => j.Id == id).Select(j => new { j.DatasetId }).FirstOrDefaultAsync(cancellationToken);
            if (job is null) return ApiProblems.NotFound("Job", id);
            datasetId = job.DatasetId;
            var stored = await db.Checkpoints.AsNoTracking().Where(c => c.JobId == id).Select(c => new { c.Epoch, c.Data })
                .FirstOrDefaultAsync(cancellationToken);
            checkpoint = stored?.Data;
            epoch = stored?.Epoch ?? 0;
        }
        // The stored description first: an MNIST job gets its 400 without loading the whole dataset.
        var info = await catalog.FindAsync(datasetId, cancellationToken);
        if (info is null) return ApiProblems.NotFound("Dataset", datasetId);
        if (info.Features != 2 || info.Task != LearningTask.Classification)
            return NotTwoFeatureClassification(info.Features, info.Task);
        var dataset = await catalog.LoadAsync(datasetId, cancellationToken);
        if (dataset is null) return ApiProblems.NotFound("Dataset", datasetId);
        if (dataset.Features != 2 || dataset.Task != TaskKind.Classification || dataset.Labels is null)
            return NotTwoFeatureClassification(dataset.Features, dataset.Task.ToContract());

        try
        {
            // The checkpoint's current weights, not the best-validation ones: the boundary shows where training is now.
            return TypedResults.Ok(await Task.Run(() => DecisionBoundaryPlot.Draw(
                checkpoint is null ? null : Trainer.ReadCurrentModel(checkpoint, dataset), dataset, epoch, resolution, cancellationToken), cancellationToken));
        }
        catch (DataFormatException e)
        {
            return ApiProblems.Conflict($"The job's checkpoint cannot be read: {e.Message}");
        }
    }

    private static ValidationProblem NotTwoFeatureClassification(int features, LearningTask task) =>
        TypedResults.ValidationProblem(ValidationErrors.One("id",
            $"A decision boundary is drawn for 2-feature classification data; this job's dataset has {features} features ({WireName.Of(task)})."));

    /// <summary>
    /// 404 if the job does not exist, 403 if the caller may not cancel or delete it (not its creator, not admin);
    /// null when it may. The creator never changes, so the check cannot race with the write that follows.
    /// </summary>
    private static async Task<ProblemHttpResult?> CheckJobOwnerAsync(
        this BackpropDbContext db, string id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var owner = await db.Jobs.Where(j => j.Id == id).Select(j => new { j.CreatedByKeyId, j.CreatedByName })
            .FirstOrDefaultAsync(cancellationToken);
        if (owner is null) return ApiProblems.NotFound("Job", id);
        return user.RequiredCaller().MayModify(owner.CreatedByKeyId) ? null : ApiProblems.NotOwner("Job", id, owner.CreatedByName);
    }
}
