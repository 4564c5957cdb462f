namespace BackpropService.Api.Persistence;

/// <summary>The trainer's state after the job's last completed epoch (one row per job, overwritten).</summary>
public sealed class JobCheckpointEntity
{
    public required string JobId { get; set; }
    public int Epoch { get; set; }
    public required byte[] Data { get; set; }
}
