namespace BackpropService.Contracts;

/// <summary>A training job as the API reports it.</summary>
/// <param name="Epoch">Completed epochs.</param>
/// <param name="Error">Why the job failed, in words a person can act on; null otherwise.</param>
/// <param name="ModelId">The trained model (also set for a cancelled job that kept its best-so-far model).</param>
/// <param name="Latest">The last completed epoch's metrics.</param>
/// <param name="QueuePosition">
/// While the job is queued: its place in the queue, 1 for the job the worker claims next; null otherwise.
/// </param>
/// <param name="CreatedBy">The API key that created it (id and name); null for what predates access control or is built in.</param>
/// <param name="Attempts">
/// How many times a worker started (or resumed) it, not counting runs a graceful shutdown handed back. After
/// <c>Training:MaxAttempts</c> runs that the process did not survive, the job fails instead of starting again.
/// </param>
/// <param name="Worker">
/// The worker that holds the job while it runs (its lease owner: machine name, process id and a random suffix, then the
/// claim's number, e.g. <c>host-4242-7f3a9c/12</c>), and the one that ran it last once it has ended; null while queued.
/// </param>
/// <param name="LeaseExpiresAt">
/// While running: when the worker's lease on the job runs out unless it renews it (every third of
/// <c>Training:LeaseSeconds</c>); past it, another worker takes the job over. Null otherwise.
/// </param>
/// <param name="SweepId">The sweep that created it (<c>GET /api/sweeps/{id}</c>); null for a job submitted on its own.</param>
public sealed record Job(
    string Id,
    string Name,
    JobStatus Status,
    string DatasetId,
    int Epoch,
    int Epochs,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    string? ModelId,
    EpochMetrics? Latest,
    JobOptions Options,
    int? QueuePosition = null,
    Creator? CreatedBy = null,
    int Attempts = 0,
    string? Worker = null,
    DateTimeOffset? LeaseExpiresAt = null,
    string? SweepId = null);
