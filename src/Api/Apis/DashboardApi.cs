using BackpropService.Api.Access;
using BackpropService.Contracts;
using BackpropService.Api.Datasets;
using BackpropService.Api.Mapping;
using BackpropService.Api.Persistence;
using BackpropService.Engine;
using BackpropService.Engine.Data;
using BackpropService.Engine.Training;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Apis;

/// <summary>
/// Read-only views the dashboard draws (and any other client may use): a job's current decision boundary
/// on 2-feature data, and a dataset preview. Built from what is stored; they never train.
/// </summary>
public static class DashboardApi
{
    private const int MaxResolution = 100;
    private const int MaxPoints = 600;
    private const int MaxPreviewSamples = 64;

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/jobs/{id}/decision-boundary", GetDecisionBoundary).WithTags("Jobs").RequireAuthorization(AccessPolicies.Train)
            .WithSummary("For a 2-feature classification job: the class-1 score (or winning class) of the weights in its latest checkpoint (the last stored epoch's, not the best-validation ones) on a grid, with the data points.");
        app.MapGet("/api/datasets/{id}/preview", GetDatasetPreview).WithTags("Datasets").RequireAuthorization(AccessPolicies.Train)
            .WithSummary("Samples per class and the first few samples (image data: pixels) of a dataset.");
        return app;
    }

    public static async Task<Results<Ok<DecisionBoundary>, ValidationProblem, ProblemHttpResult>> GetDecisionBoundary(
        string id, IDbContextFactory<BackpropDbContext> dbFactory, DatasetCatalog catalog, CancellationToken cancellationToken,
        int resolution = 40)
    {
        if (resolution is < 2 or > MaxResolution)
            return TypedResults.ValidationProblem(Validation.ValidationErrors.One("resolution", $"Use 2 to {MaxResolution} grid points per axis."));
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

        var (xs, ys) = (Axis(dataset, 0, resolution), Axis(dataset, 1, resolution));
        double[][] scores;
        if (checkpoint is null)
        {
            scores = [.. Enumerable.Range(0, resolution).Select(_ => new double[resolution])];
        }
        else
        {
            try
            {
                scores = await Task.Run(() => Score(CurrentModel(Trainer.Resume(checkpoint, dataset)), xs, ys), cancellationToken);
            }
            catch (DataFormatException e)
            {
                return ApiProblems.Conflict($"The job's checkpoint cannot be read: {e.Message}");
            }
        }

        int step = Math.Max(1, dataset.Samples / MaxPoints);
        var pointX = new List<double>();
        var pointY = new List<double>();
        var pointClass = new List<int>();
        for (int i = 0; i < dataset.Samples; i += step)
        {
            var input = dataset.Input(i);
            pointX.Add(input[0]);
            pointY.Add(input[1]);
            pointClass.Add(dataset.Labels[i]);
        }
        return TypedResults.Ok(new DecisionBoundary(epoch, xs, ys, scores, pointX, pointY, pointClass,
            dataset.ClassNames ?? [.. Enumerable.Range(0, dataset.Outputs).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
    }

    private static ValidationProblem NotTwoFeatureClassification(int features, LearningTask task) =>
        TypedResults.ValidationProblem(Validation.ValidationErrors.One("id",
            $"A decision boundary is drawn for 2-feature classification data; this job's dataset has {features} features ({task.ToString().ToLowerInvariant()})."));

    /// <summary>
    /// The checkpoint's current weights (the last stored epoch's), with the trainer's normalization.
    /// <see cref="Trainer.CreateModel"/> would give the best-validation weights instead, which can be
    /// epochs old; the boundary shows where training is now.
    /// </summary>
    private static TrainedModel CurrentModel(Trainer trainer)
    {
        var best = trainer.CreateModel();
        return new TrainedModel(trainer.Network, best.Normalizer, best.Task, best.ClassNames, best.Cost, best.Options);
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
        int side = (int)Math.Round(Math.Sqrt(dataset.Features));
        int? imageWidth = side >= 8 && side * side == dataset.Features ? side : null;
        return TypedResults.Ok(new DatasetPreview(id, counts, rows, rowLabels, imageWidth));
    }

    private static double[] Axis(Dataset dataset, int feature, int resolution)
    {
        float min = float.MaxValue, max = float.MinValue;
        for (int i = 0; i < dataset.Samples; i++)
        {
            float value = dataset.Input(i)[feature];
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }
        double margin = Math.Max(1e-3, (max - min) * 0.1);
        double from = min - margin, to = max + margin;
        return [.. Enumerable.Range(0, resolution).Select(i => from + (to - from) * i / (resolution - 1))];
    }

    /// <summary>Two classes: the class-1 output (a probability for sigmoid/softmax); more: the winning class index.</summary>
    private static double[][] Score(TrainedModel model, double[] xs, double[] ys)
    {
        var scores = new double[ys.Length][];
        Span<float> input = stackalloc float[2];
        Span<float> output = stackalloc float[model.Outputs];
        for (int row = 0; row < ys.Length; row++)
        {
            scores[row] = new double[xs.Length];
            for (int column = 0; column < xs.Length; column++)
            {
                input[0] = (float)xs[column];
                input[1] = (float)ys[row];
                model.Predict(input, output);
                scores[row][column] = model.Outputs == 2 ? output[1] / Math.Max(1e-9, output[0] + output[1])
                    : model.Outputs == 1 ? output[0]
                    : TrainedModel.ArgMax(output);
            }
        }
        return scores;
    }
}
