using System.Collections.Concurrent;

namespace BackpropService.Api.Training;

/// <summary>The cancellation sources of the jobs training in this process, by job id.</summary>
public sealed class JobCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();

    public void Register(string jobId, CancellationTokenSource source) => _running[jobId] = source;

    public void Unregister(string jobId) => _running.TryRemove(jobId, out _);

    /// <summary>Jobs training in this process now: the busy worker slots.</summary>
    public int Count => _running.Count;

    /// <summary>Asks a running job to stop after its current mini-batch; false if it is not running here.</summary>
    public bool Cancel(string jobId)
    {
        if (!_running.TryGetValue(jobId, out var source)) return false;
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        return true;
    }
}
