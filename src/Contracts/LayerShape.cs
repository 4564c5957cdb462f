using System.Text.Json.Serialization;

namespace BackpropService.Contracts;

/// <summary>
/// A layer of a job or model, every default filled in. Dense layers read as before (<c>size</c>, <c>activation</c>);
/// the other types add <c>type</c> and their own fields (conv2d: <c>filters</c>, <c>kernel</c>, <c>stride</c>,
/// <c>padding</c>, <c>activation</c>; maxPool: <c>size</c>; dropout: <c>rate</c>); fields a type does not have are
/// left out.
/// </summary>
public sealed record LayerShape(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Size,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Activation? Activation)
{
    public LayerType Type { get; init; }

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
