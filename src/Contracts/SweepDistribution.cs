namespace BackpropService.Contracts;

/// <summary>
/// Where a random sweep draws one setting's values from: exactly one of <see cref="Values"/> (one of these, each as
/// likely), <see cref="Uniform"/> (<c>[low, high]</c>, uniform) or <see cref="LogUniform"/> (<c>[low, high]</c>, both
/// above 0, uniform in log space: as many draws between 0.001 and 0.01 as between 0.01 and 0.1). A whole-number setting
/// (<c>batchSize</c>, <c>layers[0].size</c>) gets the draw rounded to the nearest whole number.
/// </summary>
public sealed record SweepDistribution
{
    public IReadOnlyList<System.Text.Json.JsonElement>? Values { get; init; }
    public IReadOnlyList<double>? Uniform { get; init; }
    public IReadOnlyList<double>? LogUniform { get; init; }
}
