using BackpropService.Contracts;

namespace BackpropService.Api.Training;

/// <summary>Something that happened to a job, published in-process (the SignalR hub forwards these).</summary>
public abstract record TrainingEvent(string JobId);

/// <summary>An epoch finished and its metrics and checkpoint are stored.</summary>
public sealed record EpochCompletedEvent(EpochMetrics Metrics) : TrainingEvent(Metrics.JobId);

/// <summary>A job changed status (or was submitted).</summary>
public sealed record JobUpdatedEvent(Job Job) : TrainingEvent(Job.Id);
