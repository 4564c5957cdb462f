using BackpropService.Contracts;

namespace BackpropService.Api.Hubs;

/// <summary>The events a client of <see cref="TrainingHub"/> receives (names in <see cref="TrainingHubMethods"/>).</summary>
public interface ITrainingClient
{
    /// <summary>An epoch of a subscribed job finished; its metrics are stored.</summary>
    Task EpochCompleted(EpochMetrics metrics);

    /// <summary>A subscribed job (or, after <c>SubscribeToJobs</c>, any job) changed status or was submitted.</summary>
    Task JobUpdated(Job job);
}
