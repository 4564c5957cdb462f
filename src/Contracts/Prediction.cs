using System.Text.Json.Serialization;

namespace BackpropService.Contracts;

/// <summary>The output layer's activations for one input; for classification also the winning class.</summary>
/// <param name="Class">Index of the largest output (classification only).</param>
/// <param name="Label">Name of that class (classification only).</param>
public sealed record Prediction(
    IReadOnlyList<float> Outputs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Class,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Label);
