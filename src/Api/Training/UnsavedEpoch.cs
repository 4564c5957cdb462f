using BackpropService.Contracts;

namespace BackpropService.Api.Training;

/// <summary>A completed epoch whose write the database refused: its metrics and the checkpoint taken after it.</summary>
public sealed record UnsavedEpoch(EpochMetrics Metrics, byte[] Checkpoint)
{
    public string JobId => Metrics.JobId;
}
