using System.Collections.Concurrent;
using System.Diagnostics;

namespace BackpropService.Api.Observability;

/// <summary>
/// Carries the span of a job's submit to the worker that claims the job, so that the training shows up in the
/// same trace as the request that queued it. In memory: a job resumed after a restart starts a new trace.
/// Only jobs submitted while tracing is on leave an entry; each entry is taken when the job is claimed.
/// </summary>
public sealed class JobTraceContexts
{
    /// <summary>Jobs cancelled or deleted while queued are never claimed; past this many entries new ones are not kept.</summary>
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, ActivityContext> _submitted = new();

    public void Remember(string jobId, Activity? submit)
    {
        if (submit is null || _submitted.Count >= MaxEntries) return;
        _submitted[jobId] = submit.Context;
    }

    /// <summary>The submit span's context, once; default (a new trace) when there is none.</summary>
    public ActivityContext Take(string jobId) => _submitted.TryRemove(jobId, out var context) ? context : default;
}
