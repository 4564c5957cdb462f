using BackpropService.Api.Access;
using BackpropService.Api.Datasets;
using BackpropService.Api.Mapping;
using BackpropService.Api.Models;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Persistence;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using BackpropService.Engine;
using BackpropService.Engine.Explain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Apis;

/// <summary>
/// <c>POST /api/explain</c>: every number of one backpropagation step, in double precision; and
/// <c>GET /api/models/{id}/explain-request</c>: a trained model and one sample of its dataset as such a request.
/// </summary>
public static class ExplainApi
{
    /// <summary>The classic worked example: 2-2-2 sigmoid network, quadratic cost, η = 0.5.</summary>
    public static RequestExample WorkedExample { get; } = Example(ExplainPresets.Mazur);

    private static RequestExample Example(ExplainPreset preset) => new(preset.Name, preset.Summary, preset.Request);

    public static IEndpointRouteBuilder MapExplainApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/explain", Explain).RequireAuthorization(AccessPolicies.Train)
            .WithTags("Explain")
            .WithSummary("One forward pass, backward pass (BP1–BP4) and update on one sample, with every intermediate value.")
            .WithJsonExamples([WorkedExample, .. ExplainPresets.All.Skip(1).Select(Example)])
            .ProducesJsonBodyProblems();
        app.MapGet("/api/models/{id}/explain-request", GetModelExplainRequest).RequireAuthorization(AccessPolicies.Train)
            .WithTags("Explain")
            .WithSummary("A model's weights and biases with one sample of its dataset (normalized as in training) and its target: a body for POST /api/explain.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithDatasetReadLimit();
        return app;
    }

    /// <summary>
    /// The model's parameters (exactly: float widened to double), cost and learning rate, and sample
    /// <paramref name="sample"/> of the dataset it was trained on, as the network sees it (after the model's normalization).
    /// </summary>
    public static async Task<Results<Ok<ExplainRequest>, ValidationProblem, ProblemHttpResult>> GetModelExplainRequest(
        string id, IDbContextFactory<BackpropDbContext> dbFactory, ModelCache cache, DatasetCatalog catalog,
        CancellationToken cancellationToken, int sample = 0)
    {
        ModelEntity? entity;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            entity = await ModelStore.ResolveAsync(db, id, cancellationToken);
        if (entity is null || await cache.GetAsync(entity.Id, cancellationToken) is not { } model) return ApiProblems.NotFound("Model", id);
        Network<float> network = model.Network;
        // The step-through's request is weights[j][k] per fully connected layer; convolutions, pools and dropout have no such form.
        if (network.Specs.FirstOrDefault(layer => layer.Kind != LayerKind.Dense) is { } other)
            return TypedResults.ValidationProblem(ValidationErrors.One("id",
                $"The step-through explains networks of dense layers only; this model has a {WireName.Of(other.Kind.ToContract())} layer. Predict and evaluate work with it."));
        if (network.ParameterCount > StepThrough.Limits.MaxParameters)
            return TypedResults.ValidationProblem(ValidationErrors.One("id",
                $"The model has {network.ParameterCount:N0} weights and biases; the step-through shows at most {StepThrough.Limits.MaxParameters:N0}."));
        if (entity.DatasetId is null)
            return TypedResults.ValidationProblem(ValidationErrors.One("id", "The model was imported, so it has no dataset to take a sample from."));
        var dataset = await catalog.LoadAsync(entity.DatasetId, cancellationToken);
        if (dataset is null || dataset.Features != network.Inputs || dataset.Outputs != network.Outputs)
            return TypedResults.ValidationProblem(ValidationErrors.One("id", $"The model's dataset '{entity.DatasetId}' no longer exists."));
        if (sample < 0 || sample >= dataset.Samples)
            return TypedResults.ValidationProblem(ValidationErrors.One("sample", $"Choose a sample from 0 to {dataset.Samples - 1}; got {sample}."));

        float[] input = dataset.Input(sample).ToArray();
        model.Normalizer.Apply(input);
        var layers = network.Layers.Select(layer => new ExplainLayer(
            Enumerable.Range(0, layer.Outputs).Select(j => ToDoubles(network.Weights(layer.Index).Slice(j * layer.Inputs, layer.Inputs))).ToArray(),
            ToDoubles(network.Biases(layer.Index)),
            layer.Spec.Activation.ToContract())).ToList();
        // Plain gradient descent at the rate the model was trained with (imported options may lack it).
        double learningRate = model.Options?.LearningRate ?? 0.5;
        return TypedResults.Ok(new ExplainRequest(layers, ToDoubles(input), ToDoubles(dataset.Target(sample)), model.Cost.ToContract(), learningRate));
    }

    private static double[] ToDoubles(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    public static Results<Ok<ExplainResponse>, ValidationProblem> Explain(ExplainRequest request)
    {
        var errors = new ValidationErrors();
        if (request.Layers is null || request.Layers.Count == 0) errors.Add("layers", "Required: at least one layer.");
        if (request.Input is null) errors.Add("input", "Required: the sample's input values.");
        if (request.Target is null) errors.Add("target", "Required: the sample's target values.");
        if (request.LearningRate is null) errors.Add("learningRate", "Required: η for the update.");
        var layers = new List<StepThroughLayer>();
        for (int l = 0; request.Layers is not null && l < request.Layers.Count; l++)
        {
            var layer = request.Layers[l];
            if (layer is null) { errors.Add($"layers[{l}]", "The layer is missing."); continue; }
            if (layer.Weights is null) errors.Add($"layers[{l}].weights", "Required: weights[j][k].");
            else if (Array.FindIndex(layer.Weights, row => row is null) is var missing and >= 0)
                errors.Add($"layers[{l}].weights[{missing}]", "The row is missing.");
            if (layer.Biases is null) errors.Add($"layers[{l}].biases", "Required: one bias per neuron.");
            if (layer.Activation is null) errors.Add($"layers[{l}].activation", $"Required: one of {WireName.Accepted<Activation>()}.");
            if (!errors.Any) layers.Add(new StepThroughLayer(layer.Weights!, layer.Biases!, layer.Activation!.Value.ToEngine()));
        }
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        StepThroughResult result;
        try
        {
            result = StepThrough.Run(new StepThroughInput(layers, request.Input!, request.Target!,
                (request.Cost ?? Cost.Quadratic).ToEngine(), request.LearningRate!.Value));
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(ValidationErrors.One(e.ParamName ?? "body", Reason(e)));
        }
        return TypedResults.Ok(new ExplainResponse(
            result.Output, result.Cost,
            result.Layers.Select(l => new ExplainLayerResult(l.Z, l.Activation, l.Delta, l.WeightGradients, l.BiasGradients,
                l.UpdatedWeights, l.UpdatedBiases)).ToList(),
            result.OutputAfterUpdate, result.CostAfterUpdate));
    }

    /// <summary>The message without the " (Parameter 'x')" suffix that ArgumentException appends.</summary>
    private static string Reason(ArgumentException e)
    {
        var message = e.Message;
        int at = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }
}
