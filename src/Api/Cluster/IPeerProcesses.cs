namespace BackpropService.Api.Cluster;

/// <summary>
/// The other processes of this service (several <c>api</c> and <c>worker</c> processes on one database), as far as this
/// process must tell them something. A single process has none (<see cref="NoPeerProcesses"/>); with
/// <c>ConnectionStrings:Redis</c> they hear it over <see cref="ClusterChannel"/>.
/// </summary>
public interface IPeerProcesses
{
    /// <summary>
    /// Whether this process hears every change the others make, so that what it holds in memory cannot be stale
    /// (always, for a single process). While false, the key cache is bypassed.
    /// </summary>
    bool HearsChanges { get; }

    /// <summary>
    /// Tells every other process that <paramref name="change"/> committed, and waits (bounded) until each has forgotten
    /// what it held of it, so that the caller's answer comes after the change holds everywhere.
    /// </summary>
    Task ForgetEverywhereAsync(StateChange change);

    /// <summary>Asks whichever process trains the job to stop it after the current mini-batch.</summary>
    Task CancelJobAsync(string jobId, CancellationToken cancellationToken);
}
