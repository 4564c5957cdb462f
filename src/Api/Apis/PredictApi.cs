using BackpropService.Api.OpenApi;
using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using BackpropService.Engine;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Apis;

/// <summary><c>POST /predict</c>: what other services call. The model is named by id, or by name for its latest version.</summary>
public static class PredictApi
{
    public static RequestExample XorExample { get; } = new("xor", "The four XOR corners, for a model trained on the xor set",
        new PredictRequest("xor", [[-1f, -1f], [-1f, 1f], [1f, -1f], [1f, 1f]]));

    public static IEndpointRouteBuilder MapPredictApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/predict", Predict)
            .WithTags("Predict")
            .WithSummary("Runs a model (id, or name for its latest version) on a batch of inputs.")
            .WithJsonExamples(XorExample);
        return app;
    }

    public static Task<Results<Ok<PredictResponse>, ValidationProblem, ProblemHttpResult>> Predict(
        PredictRequest request, IDbContextFactory<BackpropDbContext> dbFactory, Models.ModelCache cache,
        IOptions<ServiceLimits> limits, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
            return Task.FromResult<Results<Ok<PredictResponse>, ValidationProblem, ProblemHttpResult>>(
                TypedResults.ValidationProblem(ValidationErrors.One("model", "Required: a model id, or a model name (its latest version).")));
        return RunAsync(request.Model, request, dbFactory, cache, limits.Value, cancellationToken);
    }

    public static Task<Results<Ok<PredictResponse>, ValidationProblem, ProblemHttpResult>> PredictWithModel(
        string id, PredictRequest request, IDbContextFactory<BackpropDbContext> dbFactory, Models.ModelCache cache,
        IOptions<ServiceLimits> limits, CancellationToken cancellationToken) =>
        RunAsync(id, request, dbFactory, cache, limits.Value, cancellationToken);

    private static async Task<Results<Ok<PredictResponse>, ValidationProblem, ProblemHttpResult>> RunAsync(
        string idOrName, PredictRequest request, IDbContextFactory<BackpropDbContext> dbFactory, Models.ModelCache cache,
        ServiceLimits limits, CancellationToken cancellationToken)
    {
        ModelEntity? entity;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            entity = await Models.ModelStore.ResolveAsync(db, idOrName, cancellationToken);
        if (entity is null) return ApiProblems.NotFound("Model", idOrName);

        var errors = new ValidationErrors();
        var inputs = request.Inputs;
        if (inputs is null || inputs.Count == 0)
        {
            errors.Add("inputs", $"Required: one or more rows of {entity.Inputs} numbers.");
        }
        else if (inputs.Count > limits.MaxPredictRows)
        {
            errors.Add("inputs", $"At most {limits.MaxPredictRows} rows per request, got {inputs.Count}; split the batch.");
        }
        else
        {
            for (int i = 0; i < inputs.Count && !errors.Any; i++)
            {
                var row = inputs[i];
                if (row is null) errors.Add($"inputs[{i}]", $"The row is missing; expected {entity.Inputs} numbers.");
                else if (row.Length != entity.Inputs)
                    errors.Add($"inputs[{i}]", $"Expected {entity.Inputs} values (the model's inputs), got {row.Length}.");
                else if (Array.FindIndex(row, v => !float.IsFinite(v)) is var bad and >= 0)
                    errors.Add($"inputs[{i}][{bad}]", "Values must be finite numbers.");
            }
        }
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var model = await cache.GetAsync(entity.Id, cancellationToken);
        if (model is null) return ApiProblems.NotFound("Model", idOrName);

        var predictions = new List<Prediction>(inputs!.Count);
        foreach (var row in inputs)
        {
            var outputs = new float[model.Outputs];
            model.Predict(row, outputs);
            if (entity.Task == LearningTask.Classification)
            {
                int winner = TrainedModel.ArgMax(outputs);
                predictions.Add(new Prediction(outputs, winner, entity.Classes is { } names && winner < names.Count ? names[winner] : winner.ToString()));
            }
            else
            {
                predictions.Add(new Prediction(outputs, null, null));
            }
        }
        return TypedResults.Ok(new PredictResponse(entity.Id, predictions));
    }
}
