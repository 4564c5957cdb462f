using System.Text.Json;

namespace BackpropService.Contracts;

/// <summary>
/// A sweep: one ordinary job per point, each the <see cref="Base"/> request with the swept settings replaced. Either a
/// <see cref="Grid"/> (every combination of the listed values) or <see cref="Random"/> draws (<see cref="Trials"/>
/// points, reproducible for a <see cref="Seed"/>). A setting is a path into the job request: <c>learningRate</c>,
/// <c>batchSize</c>, <c>optimizer</c>, <c>layers[0].size</c>, <c>layers[1].activation</c>, or <c>layers</c> (whole
/// architectures).
/// </summary>
public sealed record SubmitSweepRequest
{
    public string? Name { get; init; }

    /// <summary>A job request exactly as <c>POST /api/jobs</c> takes it; its <c>name</c> is replaced by the point's.</summary>
    public SubmitJobRequest? Base { get; init; }

    /// <summary>Setting path → the values to try; the points are their Cartesian product.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<JsonElement>?>? Grid { get; init; }

    /// <summary>Setting path → where its values are drawn from.</summary>
    public IReadOnlyDictionary<string, SweepDistribution?>? Random { get; init; }

    /// <summary>How many random points (with <see cref="Random"/>).</summary>
    public int? Trials { get; init; }

    /// <summary>Seeds the random draws (with <see cref="Random"/>); the same seed draws the same points. Default 42.</summary>
    public ulong? Seed { get; init; }

    /// <summary>What the jobs are ranked by (default <c>validationLoss</c>).</summary>
    public SweepMetric? Metric { get; init; }
}
