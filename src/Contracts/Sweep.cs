namespace BackpropService.Contracts;

/// <summary>A sweep as the API reports it.</summary>
/// <param name="Settings">The swept setting paths, in the request's order.</param>
/// <param name="Distributions">For a random sweep: each setting's distribution (a chart of <c>logUniform</c> settings uses a log axis).</param>
/// <param name="Jobs">Ranked by <paramref name="Metric"/>: best first, jobs without a value yet last (in point order).</param>
public sealed record Sweep(
    string Id,
    string Name,
    SweepStatus Status,
    SweepMetric Metric,
    SweepKind Kind,
    IReadOnlyList<string> Settings,
    IReadOnlyDictionary<string, SweepDistribution>? Distributions,
    DateTimeOffset CreatedAt,
    Creator? CreatedBy,
    IReadOnlyList<SweepJob> Jobs);
