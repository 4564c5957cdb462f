namespace BackpropService.Contracts;

/// <summary>
/// The size of one sweep (<c>POST /api/sweeps</c>). Each point is a job held to <see cref="RequestLimits.Jobs"/>, and
/// all of a sweep's jobs count against the key's queued jobs together (429 and none queued when they do not all fit).
/// </summary>
/// <param name="MaxPoints">
/// Most points (jobs) of one sweep, a count; a larger grid gets 400 on <c>grid</c>, more trials 400 on <c>trials</c>
/// (<c>Limits:MaxSweepPoints</c>).
/// </param>
/// <param name="MaxNameLength">Longest sweep name, in characters (fixed: its jobs' names add the point's values).</param>
public sealed record SweepLimits(int MaxPoints, int MaxNameLength);
