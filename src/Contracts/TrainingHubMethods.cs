namespace BackpropService.Contracts;

/// <summary>Names of the live-update hub at <see cref="Path"/>: its server methods and client events.</summary>
public static class TrainingHubMethods
{
    public const string Path = "/hubs/training";

    /// <summary>Server method: join a job's group; returns the metrics so far.</summary>
    public const string SubscribeToJob = nameof(SubscribeToJob);

    public const string UnsubscribeFromJob = nameof(UnsubscribeFromJob);

    /// <summary>Server method: receive <see cref="JobUpdated"/> for every job.</summary>
    public const string SubscribeToJobs = nameof(SubscribeToJobs);

    /// <summary>Client event carrying an <see cref="Contracts.EpochMetrics"/>.</summary>
    public const string EpochCompleted = nameof(EpochCompleted);

    /// <summary>Client event carrying a <see cref="Contracts.Job"/>.</summary>
    public const string JobUpdated = nameof(JobUpdated);
}
