using BackpropService.Contracts;

namespace BackpropService.Api.Persistence;

/// <summary>
/// A sweep: its request as it was accepted, and who made it. Its jobs are ordinary rows of the jobs table that point
/// here (<see cref="JobEntity.SweepId"/>); its status and ranking are computed from them on each read.
/// </summary>
public sealed class SweepEntity : IListedEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public SweepMetric Metric { get; set; }

    /// <summary>The <see cref="SubmitSweepRequest"/> as JSON (the swept settings and their distributions are read from it).</summary>
    public required string Request { get; set; }

    public DateTime CreatedAt { get; set; }
    public string? CreatedByKeyId { get; set; }
    public string? CreatedByName { get; set; }
}
