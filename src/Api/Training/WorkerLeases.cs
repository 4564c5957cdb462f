using System.Collections.Concurrent;
using System.Security.Cryptography;
using BackpropService.Api.Persistence;

namespace BackpropService.Api.Training;

/// <summary>
/// This process as a worker: its id (machine name, process id and a random suffix, so that a restarted process with
/// a recycled pid is still another worker), the lease owner of each of its claims, and the leases its runs hold now.
/// </summary>
public sealed class WorkerLeases
{
    private readonly ConcurrentDictionary<string, JobLease> _held = new();
    private long _claims;

    public string WorkerId { get; } =
        $"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    /// <summary>The owner name of this process's next claim: <c>{worker id}/{claim number}</c> (see <see cref="JobLease.Owner"/>).</summary>
    public string NextOwner() => $"{WorkerId}/{Interlocked.Increment(ref _claims)}";

    /// <summary>A run of this process holds <paramref name="lease"/> from its claim until <see cref="Drop"/>.</summary>
    public void Hold(JobLease lease) => _held[lease.Owner] = lease;

    public void Drop(JobLease lease) => _held.TryRemove(lease.Owner, out _);

    /// <summary>
    /// The owners of the leases this process's runs hold now. Its own sweep passes over them even when they ran out
    /// (a renewal late on a starved machine): the run is alive, and requeuing it would train the job twice here.
    /// </summary>
    public IReadOnlyList<string> HeldOwners => [.. _held.Keys];
}
