using System.Security.Claims;
using BackpropService.Api.Access;
using BackpropService.Api.Datasets;
using BackpropService.Api.Http;
using BackpropService.Api.Mapping;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Options;
using BackpropService.Api.Paging;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using BackpropService.Engine;
using BackpropService.Engine.Data;
using BackpropService.Engine.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Apis;

/// <summary><c>/api/datasets</c>: upload (CSV or IDX), list, get, preview, delete; the built-in synthetic sets are listed too.</summary>
public static class DatasetsApi
{
    private const int MaxPreviewSamples = 64;

    /// <summary>The list's name in its page cursors (and its path under /api).</summary>
    private const string ListName = "datasets";

    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/datasets").WithTags("Datasets").RequireAuthorization(AccessPolicies.Train);
        api.MapGet("/", ListDatasets).WithSummary("Lists the built-in datasets, then the uploaded ones oldest first, a page at a time.");
        api.MapGet("/{id}", GetDataset).WithSummary("Gets one dataset's description.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", UploadDataset)
            .WithSummary("Uploads a dataset: a CSV as 'file', or MNIST-style IDX files as 'images' and 'labels' (raw or gzip).")
            .DisableAntiforgery()
            .Produces<DatasetInfo>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithMultipartForm(
                new FormField("file", "CSV file (.csv or .csv.gz). Either this, or images + labels.", IsFile: true),
                new FormField("images", "IDX images file (e.g. train-images-idx3-ubyte.gz).", IsFile: true),
                new FormField("labels", "IDX labels file (e.g. train-labels-idx1-ubyte.gz).", IsFile: true),
                new FormField("name", "Dataset name (default: the file name).", IsFile: false),
                new FormField("labelColumn", "CSV only: header name or 0-based index of the target column (default: the last).", IsFile: false),
                new FormField("task", "CSV only: classification or regression (default: inferred).", IsFile: false),
                new FormField("shape", "CSV only: the features as channels, height, width (e.g. 1,8,8 or 1x8x8; their product is the number of " +
                    "feature columns), so that convolutional layers apply. Default: a flat vector. IDX images give their own (1,28,28 for MNIST).",
                    IsFile: false, Example: "1,8,8"));
        api.MapDelete("/{id}", DeleteDataset).WithSummary("Deletes an uploaded dataset that no queued or running job needs.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{id}/preview", GetDatasetPreview).WithSummary("Samples per class and the first few samples (image data: pixels) of a dataset.")
            .ProducesValidationProblem() // ?samples= that is not a whole number
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithDatasetReadLimit();
        return app;
    }

    public static async Task<Results<PagedList<DatasetInfo>, ValidationProblem>> ListDatasets(
        IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken, string? limit = null, string? after = null)
    {
        var errors = new Validation.ValidationErrors();
        var page = PageRequest.Read(ListName, limit, after, errors);
        var builtIns = DatasetCatalog.ListBuiltIns().ToList();
        // The built-in sets come first, in their fixed order; their cursors hold their id and no time.
        bool afterBuiltIn = page?.After?.CreatedAt == BuiltInTime;
        if (afterBuiltIn && !builtIns.Any(d => d.Id == page!.After!.Id))
            errors.Add("after", PageRequest.NotACursor(ListName, after!));
        if (page is null || errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var items = page.After is null ? builtIns
            : afterBuiltIn ? [.. builtIns.SkipWhile(d => d.Id != page.After.Id).Skip(1)]
            : [];
        items = [.. items.Take(page.ItemsToRead)];
        if (items.Count < page.ItemsToRead)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var stored = await db.Datasets.AsNoTracking().OldestFirst(afterBuiltIn ? null : page.After, page.ItemsToRead - items.Count)
                .ToListAsync(cancellationToken);
            items.AddRange(stored.Select(DatasetCatalog.ToContract));
        }
        return PagedList<DatasetInfo>.From(items, page, ListName,
            d => (d.CreatedAt is { } created && !d.BuiltIn ? created.UtcDateTime : BuiltInTime, d.Id));
    }

    /// <summary>The time in the page cursor of a built-in dataset, which sorts before every upload.</summary>
    private static DateTime BuiltInTime => DateTime.MinValue;

    public static async Task<Results<Ok<DatasetInfo>, ProblemHttpResult>> GetDataset(
        string id, DatasetCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.FindAsync(id, cancellationToken) is { } dataset
            ? TypedResults.Ok(dataset)
            : ApiProblems.NotFound("Dataset", id);

    public static async Task<IResult> UploadDataset(
        HttpRequest request, ClaimsPrincipal user, IOptions<ServiceLimits> limits, IDbContextFactory<BackpropDbContext> dbFactory,
        DatasetUploadLimiter uploads, CancellationToken cancellationToken)
    {
        var (form, problem) = await UploadReader.ReadFormAsync(request, limits.Value, cancellationToken);
        if (form is null) return problem!;

        var errors = new Validation.ValidationErrors();
        var file = form.Files.GetFile("file");
        var images = form.Files.GetFile("images");
        var labels = form.Files.GetFile("labels");
        string? name = form["name"].FirstOrDefault();
        if (name is { Length: > ServiceLimits.MaxNameLength }) errors.Add("name", $"The name may have at most {ServiceLimits.MaxNameLength} characters.");

        TaskKind? task = null;
        if (form["task"].FirstOrDefault() is { Length: > 0 } taskText)
        {
            if (string.Equals(taskText, "classification", StringComparison.OrdinalIgnoreCase)) task = TaskKind.Classification;
            else if (string.Equals(taskText, "regression", StringComparison.OrdinalIgnoreCase)) task = TaskKind.Regression;
            else errors.Add("task", $"'{taskText}' is not accepted here; use one of: classification, regression.");
        }

        // Read before anything else is: the numbers only name a size, and nothing is allocated after them.
        TensorShape? shape = null;
        if (form["shape"].FirstOrDefault() is { } shapeText && !string.IsNullOrWhiteSpace(shapeText))
        {
            if (!TensorShape.TryParse(shapeText, out var parsed, out string? reason)) errors.Add("shape", reason!);
            else if (images is not null) errors.Add("shape", "IDX images carry their shape (1 x rows x columns) in their header; leave 'shape' out.");
            else shape = parsed;
        }

        if (file is null && images is null && labels is null)
            errors.Add("file", "Upload a CSV file as 'file', or IDX files as 'images' and 'labels'.");
        else if (file is not null && (images is not null || labels is not null))
            errors.Add("file", "Upload either a CSV 'file' or IDX 'images' and 'labels', not both.");
        else if (file is null && images is null)
            errors.Add("images", "The IDX images file is missing (the labels file came alone).");
        else if (file is null && labels is null)
            errors.Add("labels", "The IDX labels file is missing (the images file came alone).");
        else if (file is not null && !IsCsvName(file.FileName))
            errors.Add("file", $"'{file.FileName}' is not a CSV file: send a .csv or .csv.gz file.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        // Held until the dataset is stored or refused: parsing and storing are what take memory.
        using var parsing = await uploads.AcquireAsync(cancellationToken);
        if (!parsing.IsAcquired)
            return RateLimitRejection.Answer(request.HttpContext.Response, parsing,
                $"Other uploads are being read; {limits.Value.MaxQueuedUploads} more may wait (Limits:MaxQueuedUploads)",
                DatasetUploadLimiter.RetryAfter);

        Dataset dataset;
        string defaultName = StripExtensions((file ?? images)!.FileName);
        string datasetName = string.IsNullOrWhiteSpace(name) ? defaultName : name.Trim();
        string field = "file";
        try
        {
            if (file is not null)
            {
                await using var stream = file.OpenReadStream();
                dataset = CsvReader.Read(stream, new CsvReadOptions
                {
                    Name = datasetName,
                    LabelColumn = form["labelColumn"].FirstOrDefault(),
                    Task = task,
                    Shape = shape,
                    MaxBytes = limits.Value.MaxDatasetBytes,
                    MaxValues = limits.Value.MaxDatasetBytes / sizeof(float),
                    MaxClasses = limits.Value.MaxClasses,
                    MaxColumns = limits.Value.MaxCsvColumns,
                    MaxFieldLength = limits.Value.MaxCsvFieldLength,
                });
            }
            else
            {
                // Each pixel and each label becomes a 4-byte number once decoded.
                long maxValues = limits.Value.MaxDatasetBytes / sizeof(float);
                field = "images";
                IdxImages pixels;
                await using (var stream = images!.OpenReadStream()) pixels = IdxReader.ReadImages(stream, maxValues);
                field = "labels";
                byte[] classes;
                await using (var stream = labels!.OpenReadStream()) classes = IdxReader.ReadLabels(stream, maxValues);
                dataset = IdxReader.ToDataset(datasetName, pixels, classes);
            }
        }
        catch (DataFormatException e)
        {
            // The reader names the field: a bad label column is the form field's fault, not the file's.
            string message = e.Limit is { } limit ? $"{e.Message} (configuration: {ServiceLimits.SettingFor(limit)})" : e.Message;
            return TypedResults.ValidationProblem(Validation.ValidationErrors.One(e.Field ?? field, message));
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(Validation.ValidationErrors.One(e.ParamName is "labelColumn" or "task" ? e.ParamName : field, e.Message));
        }

        long decodedBytes = dataset.DecodedBytes;
        if (decodedBytes > limits.Value.MaxDatasetBytes)
            return TypedResults.ValidationProblem(Validation.ValidationErrors.One(field,
                $"The dataset takes {decodedBytes:N0} bytes once decoded, more than the limit of {limits.Value.MaxDatasetBytes:N0} (Limits:MaxDatasetBytes)."));

        var creator = user.RequiredCaller().AsCreator;
        var entity = new DatasetEntity
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = datasetName,
            Task = dataset.Task.ToContract(),
            Samples = dataset.Samples,
            Features = dataset.Features,
            Outputs = dataset.Outputs,
            Classes = dataset.ClassNames?.ToList(),
            CreatedAt = DateTime.UtcNow,
            CreatedByKeyId = creator.Id,
            CreatedByName = creator.Name,
        };
        DatasetCatalog.SetShape(entity, dataset.Shape);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Datasets.Add(entity);
            db.DatasetContents.Add(new DatasetContentEntity { DatasetId = entity.Id, Data = DatasetSerializer.ToBytes(dataset) });
            await db.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.Created($"/api/datasets/{entity.Id}", DatasetCatalog.ToContract(entity));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDataset(
        string id, ClaimsPrincipal user, IDbContextFactory<BackpropDbContext> dbFactory, DatasetCache cache, CancellationToken cancellationToken)
    {
        if (DatasetCatalog.IsBuiltIn(id)) return ApiProblems.Conflict($"'{id}' is a built-in dataset; it cannot be deleted.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The creator never changes, so checking it before the delete cannot race with anything.
        var owner = await db.Datasets.Where(d => d.Id == id).Select(d => new { d.CreatedByKeyId, d.CreatedByName })
            .FirstOrDefaultAsync(cancellationToken);
        if (owner is null) return ApiProblems.NotFound("Dataset", id);
        if (!user.RequiredCaller().MayModify(owner.CreatedByKeyId)) return ApiProblems.NotOwner("Dataset", id, owner.CreatedByName);
        // Under the dataset's lock, so no job can be queued between the check and the delete (a submit checks that
        // the dataset still exists under the same lock, in the transaction that queues the job).
        int deleted;
        await using (var transaction = await db.Database.BeginWriteTransactionAsync(DatasetCatalog.WriteLock(id), cancellationToken))
        {
            deleted = await db.Datasets
                .Where(d => d.Id == id && !db.Jobs.Any(j => j.DatasetId == id && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running)))
                .ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (deleted == 1)
        {
            cache.Remove(id);
            return TypedResults.NoContent();
        }
        return await db.Datasets.AnyAsync(d => d.Id == id, cancellationToken)
            ? ApiProblems.Conflict("A queued or running job trains on this dataset; cancel it first.")
            : ApiProblems.NotFound("Dataset", id);
    }

    public static async Task<Results<Ok<DatasetPreview>, ProblemHttpResult>> GetDatasetPreview(
        string id, DatasetCatalog catalog, CancellationToken cancellationToken, int samples = 16)
    {
        var dataset = await catalog.LoadAsync(id, cancellationToken);
        if (dataset is null) return ApiProblems.NotFound("Dataset", id);
        samples = Math.Clamp(samples, 0, Math.Min(MaxPreviewSamples, dataset.Samples));
        Dictionary<string, int>? counts = null;
        if (dataset.Labels is { } labels && dataset.ClassNames is { } names)
        {
            counts = names.ToDictionary(n => n, _ => 0);
            foreach (int label in labels) counts[names[label]]++;
        }
        var rows = Enumerable.Range(0, samples).Select(i => dataset.Input(i).ToArray()).ToList();
        var rowLabels = Enumerable.Range(0, samples)
            .Select(i => dataset.Labels is { } l && dataset.ClassNames is { } n ? n[l[i]] : dataset.Target(i)[0].ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        return TypedResults.Ok(new DatasetPreview(id, counts, rows, rowLabels, ImageWidth(dataset)));
    }

    /// <summary>
    /// How wide a sample is drawn: the shape's width (channels one under the other), or for a flat dataset of a square
    /// number of features (at least 8 × 8) the square's side; null when a sample is not an image.
    /// </summary>
    private static int? ImageWidth(Dataset dataset)
    {
        if (dataset.Shape is { } shape) return shape.IsFlat ? null : shape.Width;
        int side = (int)Math.Round(Math.Sqrt(dataset.Features));
        return side >= 8 && side * side == dataset.Features ? side : null;
    }

    private static bool IsCsvName(string fileName) =>
        fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase);

    private static string StripExtensions(string fileName)
    {
        var name = Path.GetFileName(fileName);
        foreach (var extension in new[] { ".gz", ".csv", ".idx3-ubyte", ".idx1-ubyte", "-idx3-ubyte", "-idx1-ubyte" })
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) name = name[..^extension.Length];
        return name.Length == 0 ? "dataset" : name;
    }
}
