using System.Text.Json.Serialization;

namespace BackpropService.Contracts;

/// <summary>
/// One hidden or output layer of a job request. Dense (the default): <c>size</c> and <c>activation</c>; conv2d:
/// <c>filters</c>, <c>kernel</c>, <c>stride</c> (default 1), <c>padding</c> (default 0), <c>activation</c>; maxPool:
/// <c>size</c> (the window's side); dropout: <c>rate</c>. A field that does not belong to the layer's type is refused.
/// </summary>
public sealed record LayerDefinition(int? Size, Activation? Activation)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LayerType? Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Filters { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Kernel { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Stride { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Padding { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Rate { get; init; }
}
