using BackpropService.Api.Datasets;
using BackpropService.Api.Mapping;
using BackpropService.Api.Models;
using BackpropService.Api.Options;
using BackpropService.Contracts;
using BackpropService.Engine.Data;
using BackpropService.Engine.Training;

namespace BackpropService.Api.Validation;

/// <summary>
/// Checks a job request before anything is stored. What the wire leaves open (a missing field, a null layer) is
/// checked here; every rule of what can train — ranges, shapes, the parameter count, the trainer's buffers — is the
/// engine's (<see cref="TrainingOptions.Check"/>), under the service's limits, and each violation it reports becomes an
/// error on the field it names.
/// </summary>
public static class JobRequestValidator
{
    /// <summary>
    /// Every check <c>POST /api/jobs</c> makes before it stores a job (a sweep makes them for each of its points): the
    /// request's shape, that its dataset exists, and the engine's rules on that dataset. Returns the options with
    /// defaults filled in and the dataset, or null with the reasons in <paramref name="errors"/>.
    /// </summary>
    /// <param name="findDataset">Looks a dataset up by id (null: no such dataset).</param>
    public static async Task<ValidJobRequest?> ValidateAsync(SubmitJobRequest request, Func<string, Task<DatasetInfo?>> findDataset,
        ServiceLimits limits, int threads, ValidationErrors errors)
    {
        // A job's name is its model's name, which callers pin as name@alias or name@version.
        if (request.Name?.Contains(ModelReference.Separator) == true) errors.Add("name", ModelReference.NameWithAtSign);
        var options = ValidateShape(request, errors);
        if (options is null) return null;

        var dataset = await findDataset(request.DatasetId!);
        if (dataset is null)
        {
            errors.Add("datasetId", $"There is no dataset with id '{request.DatasetId}'. GET /api/datasets lists them (built-in: xor, circles, moons, spirals, blobs, sine).");
            return null;
        }
        ValidateForDataset(options, dataset, limits, threads, errors);
        return errors.Any ? null : new ValidJobRequest(options, dataset);
    }

    /// <summary>Checks what the request must say; returns the options with defaults filled in.</summary>
    public static JobOptions? ValidateShape(SubmitJobRequest request, ValidationErrors errors)
    {
        if (request.Name is { Length: > ServiceLimits.MaxNameLength })
            errors.Add("name", $"The name may have at most {ServiceLimits.MaxNameLength} characters.");
        if (string.IsNullOrWhiteSpace(request.DatasetId))
            errors.Add("datasetId", "Required: the id of an uploaded or built-in dataset (GET /api/datasets lists them).");

        var layers = new List<LayerShape>();
        if (request.Layers is null || request.Layers.Count == 0)
        {
            errors.Add("layers", "Required: at least the output layer, e.g. [{ \"size\": 10, \"activation\": \"sigmoid\" }].");
        }
        else
        {
            for (int i = 0; i < request.Layers.Count; i++)
                if (LayerRequestValidator.Validate(request.Layers[i], i, errors) is { } layer) layers.Add(layer);
        }

        if (request.Epochs is null)
            errors.Add("epochs", "Required: how many passes over the training data.");

        var options = new JobOptions(
            layers,
            request.Cost ?? JobDefaults.Cost,
            request.Optimizer ?? JobDefaults.Optimizer,
            request.LearningRate ?? JobDefaults.LearningRate,
            request.Momentum ?? JobDefaults.Momentum,
            request.BatchSize ?? JobDefaults.BatchSize,
            request.Epochs ?? 1,
            request.L2 ?? JobDefaults.L2,
            request.L1 ?? JobDefaults.L1,
            request.Init ?? JobDefaults.Init,
            request.Seed ?? JobDefaults.Seed,
            request.ValidationSplit ?? JobDefaults.ValidationSplit,
            request.EarlyStoppingPatience,
            request.Normalize ?? JobDefaults.Normalize);
        return errors.Any ? null : options;
    }

    /// <summary>
    /// Asks the engine for every rule the options break on this dataset, under the service's limits: sizes, the
    /// parameter count and the training buffers, and (with the dataset's image shape) whether each convolution and pool
    /// fits what the layer before it gives. Nothing is allocated before these pass.
    /// </summary>
    public static void ValidateForDataset(JobOptions options, DatasetInfo dataset, ServiceLimits limits, int threads, ValidationErrors errors)
    {
        DataShape data = DatasetCatalog.DataShapeOf(dataset);
        foreach (var violation in options.ToEngine(threads).Check(data, limits.ToEngine()))
            errors.Add(violation.Field == TrainingOptions.DataField ? "datasetId" : violation.Field, Sentence(violation.Reason));
    }

    /// <summary>The engine's reasons are clauses ("size must be between 1 and 100000, got 0"); problem details read as sentences.</summary>
    private static string Sentence(string reason) =>
        reason.Length == 0 ? reason : char.ToUpperInvariant(reason[0]) + reason[1..] + (reason.EndsWith('.') ? "" : ".");
}
