using System.Security.Claims;
using BackpropService.Api.Access;
using BackpropService.Api.Datasets;
using BackpropService.Api.Mapping;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Options;
using BackpropService.Api.Paging;
using BackpropService.Api.Persistence;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using BackpropService.Engine;
using BackpropService.Engine.Data;
using BackpropService.Engine.Evaluation;
using BackpropService.Engine.Export;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ClassMetrics = BackpropService.Contracts.ClassMetrics;
using EvaluationReport = BackpropService.Contracts.EvaluationReport;

namespace BackpropService.Api.Apis;

/// <summary><c>/api/models</c>: list, get, predict, evaluate, download and import models.</summary>
public static class ModelsApi
{
    /// <summary>The list's name in its page cursors (and its path under /api).</summary>
    private const string ListName = "models";

    /// <summary>
    /// An ONNX model's media type. None is registered for ONNX; this one says what the bytes are, and a client that only
    /// saves them treats it as it would application/octet-stream.
    /// </summary>
    private const string OnnxMediaType = "application/onnx";

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/models").WithTags("Models").RequireAuthorization(AccessPolicies.Predict);
        api.MapGet("/", ListModels).WithSummary("Lists models, newest first, a page at a time.");
        api.MapGet("/{id}", GetModel).WithSummary("Gets one model: by id, by name (its latest version), name@alias or name@version.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/predict", PredictApi.PredictWithModel)
            .WithSummary("Runs the model on a batch of inputs (the body's 'model' is not needed here).")
            .WithPredictContract();
        api.MapPost("/{id}/evaluate", EvaluateModel)
            .WithSummary("Measures the model on a dataset: loss and accuracy, confusion matrix and per-class metrics, or mse/mae/r2.")
            .WithJsonExamples(new RequestExample("xor", "Evaluate on the built-in xor set", new EvaluateRequest("xor")))
            .ProducesJsonBodyProblems()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AccessPolicies.Train)
            .WithDatasetReadLimit();
        api.MapGet("/{id}/download", DownloadModel)
            .WithSummary("Downloads the model: the portable model file (default), or ?format=onnx a standard ONNX model that takes raw inputs.")
            .WithEnumQueryParameter("format", ModelFileFormat.Bpmodel,
                "bpmodel: the service's own file, which POST /api/models imports. onnx: an ONNX model (opset 13) for ONNX Runtime, "
                + "Triton or ML.NET: \"input\" [N × features] of raw values (the stored normalization is in the graph), "
                + "\"output\" [N × outputs] as /predict gives them; name, version and class labels in its metadata_props.")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/octet-stream", OnnxMediaType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AccessPolicies.Train);
        api.MapPost("/", ImportModel)
            .WithSummary("Imports a model file made by this service (as the raw body, or a multipart 'file'); ?name= names it.")
            .DisableAntiforgery()
            .WithMultipartForm(
                new FormField("file", "A model file from GET /api/models/{id}/download.", IsFile: true, Required: true),
                new FormField("name", "The model's name (default: imported).", IsFile: false))
            .Produces<ModelInfo>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(AccessPolicies.Admin);
        api.MapDelete("/{id}", DeleteModel).WithSummary("Deletes one model version (409 while an alias points to it).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(AccessPolicies.Admin);
        return app;
    }

    public static async Task<Results<PagedList<ModelInfo>, ValidationProblem>> ListModels(
        IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken, string? limit = null, string? after = null)
    {
        var errors = new ValidationErrors();
        if (PageRequest.Read(ListName, limit, after, errors) is not { } page) return TypedResults.ValidationProblem(errors.ToDictionary());
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var models = await db.Models.AsNoTracking().NewestFirst(page.After, page.ItemsToRead).ToListAsync(cancellationToken);
        return PagedList<ModelInfo>.From([.. models.Select(m => m.ToContract())], page, ListName, m => (m.CreatedAt.UtcDateTime, m.Id));
    }

    public static async Task<Results<Ok<ModelInfo>, ProblemHttpResult>> GetModel(
        string id, IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Models.ModelStore.ResolveAsync(db, id, cancellationToken) is { } model
            ? TypedResults.Ok(model.ToContract())
            : ApiProblems.NotFound("Model", "id", await Models.ModelStore.ExplainMissingAsync(db, id, cancellationToken));
    }

    public static async Task<Results<Ok<EvaluationReport>, ValidationProblem, ProblemHttpResult>> EvaluateModel(
        string id, EvaluateRequest request, IDbContextFactory<BackpropDbContext> dbFactory, Models.ModelCache cache,
        DatasetCatalog catalog, CancellationToken cancellationToken)
    {
        ModelEntity? entity;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            entity = await Models.ModelStore.ResolveAsync(db, id, cancellationToken);
        if (entity is null) return ApiProblems.NotFound("Model", id);
        if (string.IsNullOrWhiteSpace(request.DatasetId))
            return TypedResults.ValidationProblem(ValidationErrors.One("datasetId", "Required: the dataset to evaluate on."));
        var dataset = await catalog.LoadAsync(request.DatasetId, cancellationToken);
        if (dataset is null)
            return TypedResults.ValidationProblem(ValidationErrors.One("datasetId", $"There is no dataset with id '{request.DatasetId}'."));
        if (dataset.Features != entity.Inputs || dataset.Outputs != entity.Outputs || dataset.Task.ToContract() != entity.Task)
            return TypedResults.ValidationProblem(ValidationErrors.One("datasetId",
                $"The dataset has {dataset.Features} features and {dataset.Outputs} outputs ({WireName.Of(dataset.Task.ToContract())}); "
                + $"the model needs {entity.Inputs} inputs and {entity.Outputs} outputs ({WireName.Of(entity.Task)})."));

        var model = await cache.GetAsync(entity.Id, cancellationToken);
        if (model is null) return ApiProblems.NotFound("Model", id);
        // A flat dataset of the right width is read as the model reads /predict rows; images of another shape are not its images.
        if (dataset.Shape is { } imageShape && model.Shape.InputShape is { } inputShape && imageShape != inputShape)
            return TypedResults.ValidationProblem(ValidationErrors.One("datasetId",
                $"The dataset's images are {imageShape} (channels x height x width); the model takes {inputShape} images."));
        Engine.Evaluation.EvaluationReport report;
        try
        {
            report = await Task.Run(() => Evaluator.Evaluate(model, dataset, cancellationToken), cancellationToken);
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(ValidationErrors.One("datasetId", e.Message));
        }
        return TypedResults.Ok(new EvaluationReport(
            report.Samples, report.Loss, report.Accuracy, report.ConfusionMatrix?.Select(row => (IReadOnlyList<int>)row).ToList(),
            report.PerClass?.Select(c => new ClassMetrics(c.Label, c.Precision, c.Recall, c.F1, c.Support)).ToList(),
            report.Mse, report.Mae, report.R2));
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> DownloadModel(
        string id, IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken, string? format = null)
    {
        var fileFormat = ModelFileFormat.Bpmodel;
        if (!string.IsNullOrEmpty(format) && !WireName.TryParse(format, out fileFormat))
            return TypedResults.ValidationProblem(ValidationErrors.One("format",
                $"'{format}' is not accepted here; use one of: {WireName.Accepted<ModelFileFormat>()} (default {WireName.Of(ModelFileFormat.Bpmodel)})."));

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var model = await Models.ModelStore.ResolveAsync(db, id, cancellationToken);
        if (model is null) return ApiProblems.NotFound("Model", id);
        var bytes = await db.ModelContents.AsNoTracking().Where(c => c.ModelId == model.Id).Select(c => c.Data)
            .FirstAsync(cancellationToken);
        string fileName = $"{model.Name}-v{model.Version}";
        return fileFormat switch
        {
            ModelFileFormat.Onnx => TypedResults.File(
                OnnxExporter.Export(TrainedModel.FromBytes(bytes), model.Name, model.Version), OnnxMediaType, $"{fileName}.onnx"),
            _ => TypedResults.File(bytes, "application/octet-stream", $"{fileName}.bpmodel"),
        };
    }

    public static async Task<IResult> ImportModel(
        HttpRequest request, ClaimsPrincipal user, IOptions<ServiceLimits> limits, IDbContextFactory<BackpropDbContext> dbFactory,
        Models.IModelChanges changes, CancellationToken cancellationToken, string? name = null)
    {
        // Only the two documented forms. A web page on another site can send text/plain or a urlencoded form
        // without asking first (no CORS preflight); refusing them means no such request can plant a model.
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) ? contentType.MediaType.Value : null;
        bool multipart = string.Equals(mediaType, "multipart/form-data", StringComparison.OrdinalIgnoreCase);
        if (!multipart && !string.Equals(mediaType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
            return ApiProblems.UnsupportedMediaType(
                "Send the model file as the raw body with Content-Type: application/octet-stream, or as the 'file' field of a multipart/form-data form.");

        Stream source;
        if (multipart)
        {
            var (form, problem) = await UploadReader.ReadFormAsync(request, limits.Value, cancellationToken);
            if (form is null) return problem!;
            var file = form.Files.GetFile("file");
            if (file is null) return TypedResults.ValidationProblem(ValidationErrors.One("file", "Upload the model file as 'file'."));
            name ??= form["name"].FirstOrDefault();
            source = file.OpenReadStream();
        }
        else
        {
            var (body, problem) = UploadReader.OpenBody(request, limits.Value);
            if (body is null) return problem!;
            source = body;
        }
        if (name is { Length: > ServiceLimits.MaxNameLength })
            return TypedResults.ValidationProblem(ValidationErrors.One("name", $"The name may have at most {ServiceLimits.MaxNameLength} characters."));
        if (name?.Contains('@') == true)
            return TypedResults.ValidationProblem(ValidationErrors.One("name", Models.ModelReference.NameWithAtSign));

        var (model, refused) = await UploadReader.ReadModelFileAsync(source, limits.Value, cancellationToken);
        if (model is null) return refused!;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await Models.ModelStore.SaveAsync(db, changes, model, string.IsNullOrWhiteSpace(name) ? "imported" : name.Trim(),
            jobId: null, datasetId: null, metrics: null, alsoInTransaction: imported =>
            {
                var creator = user.RequiredCaller().AsCreator;
                imported.CreatedByKeyId = creator.Id;
                imported.CreatedByName = creator.Name;
            }, cancellationToken);
        return TypedResults.Created($"/api/models/{entity.Id}", entity.ToContract());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteModel(
        string id, IDbContextFactory<BackpropDbContext> dbFactory, Models.IModelChanges changes, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A model's name never changes, so it can be read before taking the name's lock.
        string? name = await db.Models.Where(m => m.Id == id).Select(m => m.Name).FirstOrDefaultAsync(cancellationToken);
        if (name is null) return ApiProblems.NotFound("Model", id);
        int deleted;
        // Refused while an alias points to the version (under the name's lock, as an alias is set, so no alias can
        // slip in between): callers that pinned it would otherwise start failing; an admin moves or deletes the alias first.
        await using (changes.BeginWrite(name: null, modelId: id))
        await using (var transaction = await db.Database.BeginWriteTransactionAsync(Models.ModelStore.WriteLock(name), cancellationToken))
        {
            deleted = await db.Models
                .Where(m => m.Id == id && !db.ModelAliases.Any(a => a.Name == m.Name && a.Version == m.Version))
                .ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (deleted == 1) return TypedResults.NoContent();
        var pinnedBy = await db.Models.Where(m => m.Id == id)
            .SelectMany(m => db.ModelAliases.Where(a => a.Name == m.Name && a.Version == m.Version))
            .OrderBy(a => a.Alias).ToListAsync(cancellationToken);
        if (pinnedBy.Count == 0) return ApiProblems.NotFound("Model", id);
        var first = pinnedBy[0];
        string pointers = pinnedBy.Count == 1
            ? $"alias '{first.Alias}' points"
            : $"aliases {string.Join(", ", pinnedBy.Select(a => $"'{a.Alias}'"))} point";
        return ApiProblems.Conflict(
            $"Version {first.Version} of '{first.Name}' is in use: {pointers} to it. Move the alias "
            + $"(PUT /api/models/{first.Name}/aliases/{first.Alias}) or delete it first.");
    }
}
