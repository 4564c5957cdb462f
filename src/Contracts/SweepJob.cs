using System.Text.Json;

namespace BackpropService.Contracts;

/// <summary>One point of a sweep: its job and where it stands in the ranking.</summary>
/// <param name="Rank">1 for the best value of the sweep's metric; null while the job has no value yet (ranked last).</param>
/// <param name="Point">The point's number in the sweep, from 1, in the order the points were generated (the job's name says <c>#n</c>).</param>
/// <param name="Values">The swept settings' values for this job, keyed by setting path.</param>
/// <param name="Best">The job's best value of the metric over its epochs so far (lowest loss, highest accuracy).</param>
public sealed record SweepJob(
    int? Rank,
    int Point,
    string JobId,
    string Name,
    JobStatus Status,
    int Epoch,
    int Epochs,
    IReadOnlyDictionary<string, JsonElement> Values,
    double? Best,
    string? ModelId,
    string? Error);
