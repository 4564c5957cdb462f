using BackpropService.Contracts;

namespace BackpropService.Api.Persistence;

/// <summary>A training job. The jobs table is the durable queue: rows in <see cref="JobStatus.Queued"/>
/// are claimed in the order of <see cref="JobQueries.QueuedInClaimOrder"/>.</summary>
public sealed class JobEntity : IListedEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string DatasetId { get; set; }
    public JobStatus Status { get; set; }

    /// <summary>The <see cref="JobOptions"/> as JSON.</summary>
    public required string Options { get; set; }

    /// <summary>Completed epochs (the checkpoint's epoch).</summary>
    public int Epoch { get; set; }

    public int Epochs { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The API key that created it (id and name at the time); null for rows from before access control.</summary>
    public string? CreatedByKeyId { get; set; }
    public string? CreatedByName { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }
    public string? ModelId { get; set; }

    /// <summary>
    /// How many times a worker claimed it, less the runs a graceful shutdown handed back: what
    /// <see cref="Options.TrainingWorkerOptions.MaxAttempts"/> counts.
    /// </summary>
    public int Attempts { get; set; }

    /// <summary>
    /// The sweep that created it, if any. A sweep's jobs are created together, a microsecond apart in point order, so
    /// they are queued in that order.
    /// </summary>
    public string? SweepId { get; set; }

    /// <summary>Its point's number in the sweep, from 1 (null without a sweep).</summary>
    public int? SweepPoint { get; set; }

    /// <summary>Set by cancel; survives a restart so a resumed job still stops.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>
    /// The claim of the worker that holds the job while it runs (<see cref="JobLease.Owner"/>), and the last one that
    /// held it afterwards; null while it waits in the queue.
    /// </summary>
    public string? LeaseOwner { get; set; }

    /// <summary>
    /// Until when <see cref="LeaseOwner"/> holds the running job unless it renews; past it (or null) the job is an
    /// orphan that goes back to the queue (<see cref="JobLease.IsOrphaned"/>).
    /// </summary>
    public DateTime? LeaseExpiresAt { get; set; }

    public List<EpochMetricsEntity> Metrics { get; set; } = [];
    public JobCheckpointEntity? Checkpoint { get; set; }
}
