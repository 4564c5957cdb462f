using System.Text.Json.Serialization;
using BackpropService.Contracts;

namespace BackpropService.Api.Cluster;

/// <summary>What one process tells the others over <see cref="ClusterChannel"/>, inside a <see cref="ClusterEnvelope"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(EpochCompletedMessage), "epochCompleted")]
[JsonDerivedType(typeof(JobUpdatedMessage), "jobUpdated")]
[JsonDerivedType(typeof(CancelJobMessage), "cancelJob")]
[JsonDerivedType(typeof(ForgetMessage), "forget")]
[JsonDerivedType(typeof(ForgottenMessage), "forgotten")]
public abstract record ClusterMessage;

/// <summary>A job's epoch is stored (its trainer published it).</summary>
public sealed record EpochCompletedMessage(EpochMetrics Metrics) : ClusterMessage;

/// <summary>A job changed status (or was submitted).</summary>
public sealed record JobUpdatedMessage(Job Job) : ClusterMessage;

/// <summary>Whoever trains the job stops it.</summary>
public sealed record CancelJobMessage(string JobId) : ClusterMessage;

/// <summary>Every process forgets what it holds of <paramref name="Change"/>, then answers with a <see cref="ForgottenMessage"/>.</summary>
public sealed record ForgetMessage(string ChangeId, StateChange Change) : ClusterMessage;

/// <summary>One process has forgotten what change <paramref name="ChangeId"/> made stale.</summary>
public sealed record ForgottenMessage(string ChangeId) : ClusterMessage;
