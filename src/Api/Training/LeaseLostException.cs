namespace BackpropService.Api.Training;

/// <summary>
/// A fenced write (<see cref="Persistence.JobLease"/>) found the job no longer held by this run: another worker took
/// it over, or it was cancelled and finished, or deleted. The run stops and writes nothing more; not an error.
/// </summary>
public sealed class LeaseLostException(string jobId)
    : Exception($"This worker no longer holds the lease on job {jobId}; it stops without writing.")
{
    public string JobId { get; } = jobId;
}
