namespace BackpropService.Contracts;

/// <summary>What the calling API key has used of its own quotas, counted when the answer was made.</summary>
/// <param name="QueuedJobs">
/// The key's jobs that are queued (not yet running), a count; null for a key that may not submit jobs (without the
/// <c>train</c> or <c>admin</c> scope).
/// </param>
/// <param name="QueuedJobsRemaining">
/// How many more jobs the key may queue now, a count: <c>jobs.maxQueuedPerKey</c> minus <see cref="QueuedJobs"/>, never
/// below 0 (a place frees up when one of its jobs starts or is cancelled); null like <see cref="QueuedJobs"/>.
/// </param>
public sealed record CallerQuota(int? QueuedJobs, int? QueuedJobsRemaining);
