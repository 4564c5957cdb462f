using BackpropService.Api.Access;
using BackpropService.Api.Mapping;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using BackpropService.Engine.Explain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackpropService.Api.Apis;

/// <summary><c>POST /api/explain</c>: every number of one backpropagation step, in double precision.</summary>
public static class ExplainApi
{
    /// <summary>The classic worked example: 2-2-2 sigmoid network, quadratic cost, η = 0.5.</summary>
    public static RequestExample WorkedExample { get; } = new("worked-example", "A 2-2-2 sigmoid network, one step with η = 0.5",
        new ExplainRequest(
            [
                new ExplainLayer([[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35], Activation.Sigmoid),
                new ExplainLayer([[0.40, 0.45], [0.50, 0.55]], [0.60, 0.60], Activation.Sigmoid),
            ],
            [0.05, 0.10], [0.01, 0.99], Cost.Quadratic, 0.5));

    public static IEndpointRouteBuilder MapExplainApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/explain", Explain).RequireAuthorization(AccessPolicies.Train)
            .WithTags("Explain")
            .WithSummary("One forward pass, backward pass (BP1–BP4) and update on one sample, with every intermediate value.")
            .WithJsonExamples(WorkedExample)
            .ProducesJsonBodyProblems();
        return app;
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
