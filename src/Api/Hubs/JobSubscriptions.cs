namespace BackpropService.Api.Hubs;

/// <summary>
/// Who listens to which job, and how far each listener already is. Per job, one lock is shared by
/// <see cref="TrainingHub.SubscribeToJob"/> (read stored metrics + start listening) and the
/// <see cref="TrainingEventForwarder"/> (post an epoch to the listeners), so a late subscriber sees every
/// epoch exactly once: either in the stored metrics it got back, or live, never both.
/// </summary>
public sealed class JobSubscriptions
{
    private readonly Lock _mapLock = new();
    private readonly Dictionary<string, JobListeners> _jobs = [];
    private readonly Dictionary<string, HashSet<string>> _jobsByConnection = [];
    private readonly HashSet<string> _allJobsConnections = [];

    /// <summary>Runs <paramref name="action"/> under the job's lock, creating the job's entry if needed.</summary>
    public async Task<T> WithJobLockAsync<T>(string jobId, Func<JobListeners, Task<T>> action, CancellationToken cancellationToken)
    {
        while (true)
        {
            JobListeners listeners;
            lock (_mapLock)
            {
                if (!_jobs.TryGetValue(jobId, out listeners!))
                {
                    listeners = new JobListeners();
                    _jobs[jobId] = listeners;
                }
            }
            await listeners.Gate.WaitAsync(cancellationToken);
            try
            {
                // Removed between lookup and lock: start again with the current entry.
                if (listeners.Removed) continue;
                return await action(listeners);
            }
            finally
            {
                // Nobody was added (the subscribe failed, e.g. its connection went away mid-call): drop the
                // entry, which no unsubscribe or disconnect would ever remove.
                if (!listeners.Removed && listeners.HighWater.Count == 0) Forget(jobId, listeners);
                listeners.Gate.Release();
            }
        }
    }

    /// <summary>Like <see cref="WithJobLockAsync{T}"/>, but does nothing when nobody listens to the job.</summary>
    public async Task WhenListenedAsync(string jobId, Func<JobListeners, Task> action, CancellationToken cancellationToken)
    {
        JobListeners? listeners;
        lock (_mapLock) _jobs.TryGetValue(jobId, out listeners);
        if (listeners is null) return;
        await listeners.Gate.WaitAsync(cancellationToken);
        try
        {
            if (!listeners.Removed) await action(listeners);
        }
        finally
        {
            listeners.Gate.Release();
        }
    }

    /// <summary>Records that <paramref name="connectionId"/> listens to the job and has every epoch up to <paramref name="highWater"/>. Call under the job's lock.</summary>
    public void Add(JobListeners listeners, string jobId, string connectionId, int highWater)
    {
        listeners.HighWater[connectionId] = highWater;
        lock (_mapLock)
        {
            if (!_jobsByConnection.TryGetValue(connectionId, out var jobs)) _jobsByConnection[connectionId] = jobs = [];
            jobs.Add(jobId);
        }
    }

    /// <summary>Forgets that the connection listens to the job.</summary>
    public async Task RemoveAsync(string jobId, string connectionId)
    {
        lock (_mapLock)
        {
            if (_jobsByConnection.TryGetValue(connectionId, out var jobs) && jobs.Remove(jobId) && jobs.Count == 0)
                _jobsByConnection.Remove(connectionId);
        }
        await WhenListenedAsync(jobId, listeners =>
        {
            listeners.HighWater.Remove(connectionId);
            if (listeners.HighWater.Count == 0) Forget(jobId, listeners);
            return Task.CompletedTask;
        }, CancellationToken.None);
    }

    /// <summary>Removes a job's entry that has no listeners left. Call under the job's lock.</summary>
    private void Forget(string jobId, JobListeners listeners)
    {
        lock (_mapLock)
        {
            listeners.Removed = true;
            _jobs.Remove(jobId);
        }
    }

    /// <summary>Forgets everything about a connection that went away.</summary>
    public async Task RemoveConnectionAsync(string connectionId)
    {
        string[] jobs;
        lock (_mapLock)
        {
            jobs = _jobsByConnection.TryGetValue(connectionId, out var set) ? [.. set] : [];
            _allJobsConnections.Remove(connectionId);
        }
        foreach (var jobId in jobs) await RemoveAsync(jobId, connectionId);
    }

    /// <summary>
    /// Whether the connection may start listening to the job: it already does, or it listens to fewer than
    /// <paramref name="maxJobs"/>. SignalR runs one connection's hub calls one at a time, so nothing can be added
    /// for the connection between this check and its <see cref="Add"/>.
    /// </summary>
    public bool MayAdd(string connectionId, string jobId, int maxJobs)
    {
        lock (_mapLock)
            return !_jobsByConnection.TryGetValue(connectionId, out var jobs) || jobs.Contains(jobId) || jobs.Count < maxJobs;
    }

    /// <summary>Records a connection that receives every job's updates.</summary>
    public void AddAllJobsListener(string connectionId)
    {
        lock (_mapLock) _allJobsConnections.Add(connectionId);
    }

    /// <summary>The connections that receive every job's updates, as of now.</summary>
    public IReadOnlySet<string> AllJobsListeners()
    {
        lock (_mapLock) return new HashSet<string>(_allJobsConnections);
    }

    /// <summary>The listeners of one job: the lock and each connection's high-water epoch.</summary>
    public sealed class JobListeners
    {
        internal SemaphoreSlim Gate { get; } = new(1, 1);

        internal bool Removed { get; set; }

        /// <summary>Per connection: the last epoch it already has (from the stored metrics it got back).</summary>
        public Dictionary<string, int> HighWater { get; } = [];
    }
}
