namespace BackpropService.Contracts;

/// <summary>Where a training job is in its life: queued → running → succeeded | failed | cancelled.</summary>
public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
