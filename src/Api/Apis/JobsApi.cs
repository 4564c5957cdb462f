using BackpropService.Api.Datasets;
using BackpropService.Api.Mapping;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using BackpropService.Api.Training;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Apis;

/// <summary><c>/api/jobs</c>: submit (validate, store, signal, 202), list, get, metrics, cancel, delete. Endpoints never train.</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jobs").WithTags("Jobs");
        api.MapPost("/", SubmitJob)
            .WithSummary("Queues a training job. Only datasetId, layers and epochs are required.")
            .WithJsonExamples(JobExamples.Xor, JobExamples.Spirals, JobExamples.Mnist, JobExamples.Sine);
        api.MapGet("/", ListJobs).WithSummary("Lists jobs, newest first (optionally only those with ?status=).");
        api.MapGet("/{id}", GetJob).WithSummary("Gets one job, with its latest epoch's metrics.");
        api.MapGet("/{id}/metrics", GetMetrics).WithSummary("Gets every completed epoch's metrics, in order.");
        api.MapPost("/{id}/cancel", CancelJob)
            .WithSummary("Cancels a queued or running job; a running job stops within one mini-batch and keeps its best model so far (none before its first epoch completes).");
        api.MapDelete("/{id}", DeleteJob).WithSummary("Deletes a job that is not running, with its metrics.");
        return app;
    }

    public static async Task<Results<Accepted<Job>, ValidationProblem>> SubmitJob(
        SubmitJobRequest request, DatasetCatalog catalog, IDbContextFactory<BackpropDbContext> dbFactory,
        JobSignal signal, ITrainingEvents events, IOptions<ServiceLimits> limits, IOptions<TrainingWorkerOptions> worker,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var options = JobRequestValidator.ValidateShape(request, errors);
        if (options is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        var dataset = await catalog.FindAsync(request.DatasetId!, cancellationToken);
        if (dataset is null)
            return TypedResults.ValidationProblem(ValidationErrors.One("datasetId",
                $"There is no dataset with id '{request.DatasetId}'. GET /api/datasets lists them (built-in: xor, circles, moons, spirals, blobs, sine)."));
        JobRequestValidator.ValidateForDataset(options, dataset, limits.Value, worker.Value.Threads, errors);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var entity = new JobEntity
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = string.IsNullOrWhiteSpace(request.Name) ? dataset.Name : request.Name.Trim(),
            DatasetId = dataset.Id,
            Status = JobStatus.Queued,
            Options = EntityMapping.Write(options),
            Epochs = options.Epochs,
            CreatedAt = DateTime.UtcNow,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // SQLite transactions take the write lock at BEGIN: a dataset delete (one conditional statement)
            // runs wholly before this, and we see the dataset gone, or wholly after, and sees this job.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!DatasetCatalog.IsBuiltIn(dataset.Id) && !await db.Datasets.AnyAsync(d => d.Id == dataset.Id, cancellationToken))
                return TypedResults.ValidationProblem(ValidationErrors.One("datasetId",
                    $"The dataset '{dataset.Id}' was deleted just now; upload it again or choose another."));
            db.Jobs.Add(entity);
            // The row is the durable queue entry; from here on the job is never lost.
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        signal.Notify();
        var job = entity.ToContract(latest: null);
        events.Publish(new JobUpdatedEvent(job));
        return TypedResults.Accepted($"/api/jobs/{entity.Id}", job);
    }

    public static async Task<Results<Ok<List<Job>>, ValidationProblem>> ListJobs(
        IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken, string? status = null)
    {
        JobStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<JobStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
                return TypedResults.ValidationProblem(ValidationErrors.One("status",
                    $"'{status}' is not accepted here; use one of: queued, running, succeeded, failed, cancelled."));
            filter = parsed;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Jobs.AsQueryable();
        if (filter is { } wanted) query = query.Where(j => j.Status == wanted);
        var jobs = await db.LoadJobsAsync(query, cancellationToken);
        return TypedResults.Ok(jobs.OrderByDescending(j => j.CreatedAt).ToList());
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
        string id, IDbContextFactory<BackpropDbContext> dbFactory, JobCancellations cancellations, ITrainingEvents events,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The flag first: a job claimed right now sees it when it starts; one already training is cancelled below.
        int active = await db.Jobs.Where(j => j.Id == id && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), cancellationToken);
        if (active == 0)
        {
            var existing = await db.GetJobAsync(id, cancellationToken);
            if (existing is null) return ApiProblems.NotFound("Job", id);
            if (existing.Status == JobStatus.Cancelled) return TypedResults.Accepted($"/api/jobs/{id}", existing);
            return ApiProblems.Conflict($"The job has already {WireName.Of(existing.Status)}; only queued or running jobs can be cancelled.");
        }

        var now = DateTime.UtcNow;
        int dequeued = await db.Jobs.Where(j => j.Id == id && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Cancelled).SetProperty(j => j.FinishedAt, now), cancellationToken);
        if (dequeued == 0) cancellations.Cancel(id);

        var job = (await db.GetJobAsync(id, cancellationToken))!;
        if (dequeued == 1) events.Publish(new JobUpdatedEvent(job));
        return TypedResults.Accepted($"/api/jobs/{id}", job);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteJob(
        string id, IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        int deleted = await db.Jobs.Where(j => j.Id == id && j.Status != JobStatus.Running).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 1) return TypedResults.NoContent();
        return await db.Jobs.AnyAsync(j => j.Id == id, cancellationToken)
            ? ApiProblems.Conflict("The job is running; cancel it first, then delete it.")
            : ApiProblems.NotFound("Job", id);
    }
}
