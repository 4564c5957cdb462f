namespace BackpropService.Contracts;

/// <summary>
/// Where a sweep is, from its jobs: <see cref="Queued"/> while none has started; <see cref="Running"/> while any is
/// queued or running; once all have finished, <see cref="Succeeded"/> if all succeeded, <see cref="Cancelled"/> if any
/// was cancelled, <see cref="Failed"/> if none succeeded, else <see cref="PartlyFailed"/>.
/// </summary>
public enum SweepStatus
{
    Queued,
    Running,
    Succeeded,
    PartlyFailed,
    Failed,
    Cancelled,
}
