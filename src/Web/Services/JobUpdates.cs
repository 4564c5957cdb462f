using BackpropService.Contracts;

namespace BackpropService.Web.Services;

/// <summary>
/// How a page combines the job it shows with an update from the hub or a REST read. Updates can arrive out of
/// order (a REST snapshot read before a live event may arrive after it), so a job never steps back: not from
/// finished to running (which would bring back the cancel button), nor to fewer epochs.
/// </summary>
public static class JobUpdates
{
    public static bool IsActive(JobStatus status) => status is JobStatus.Queued or JobStatus.Running;

    /// <summary>What to show once <paramref name="update"/> arrives while <paramref name="shown"/> is on screen.</summary>
    public static Job Merge(Job? shown, Job update)
    {
        if (shown is null) return update;
        // Queued, then running, then finished: an update from an earlier stage is older than what is shown.
        if (Stage(shown.Status) > Stage(update.Status)) return shown;
        // Same stage: keep the epochs already shown live.
        return update.Epoch < shown.Epoch && IsActive(update.Status) ? update with { Epoch = shown.Epoch, Latest = shown.Latest } : update;
    }

    /// <summary>The job after a live epoch: it is running, at that epoch (older or repeated epochs change nothing).</summary>
    public static Job Advance(Job job, EpochMetrics metrics) =>
        metrics.Epoch > job.Epoch && IsActive(job.Status)
            ? job with { Epoch = metrics.Epoch, Latest = metrics, Status = JobStatus.Running, QueuePosition = null }
            : job;

    private static int Stage(JobStatus status) => status switch
    {
        JobStatus.Queued => 0,
        JobStatus.Running => 1,
        _ => 2,
    };
}
