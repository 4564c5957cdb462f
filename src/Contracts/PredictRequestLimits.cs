namespace BackpropService.Contracts;

/// <summary>
/// How much of the service predict requests (<c>POST /predict</c>, <c>POST /api/models/{id}/predict</c>) may take
/// (configuration section <c>Limits:Predict</c>). Rows per request: <see cref="RequestLimits.MaxPredictRows"/>.
/// </summary>
/// <param name="PermitsPerSecond">
/// Predict requests one API key may make per second on average, both routes together; past its burst a key gets 429
/// with <c>Retry-After</c> (<c>Limits:Predict:PermitsPerSecond</c>).
/// </param>
/// <param name="Burst">Predict requests one API key may make at once above its rate, a count (<c>Limits:Predict:Burst</c>).</param>
/// <param name="Concurrency">Predictions computed at once across all keys, a count (<c>Limits:Predict:Concurrency</c>).</param>
/// <param name="QueueLength">
/// Predictions that may wait for a compute slot, a count; past them a request gets 503 with <c>Retry-After</c>
/// (<c>Limits:Predict:QueueLength</c>).
/// </param>
/// <param name="TimeoutSeconds">
/// Longest a predict request may take, in seconds, from its arrival to its answer (body upload, wait and compute); past
/// it the answer is 504 (<c>Limits:Predict:TimeoutSeconds</c>).
/// </param>
public sealed record PredictRequestLimits(double PermitsPerSecond, int Burst, int Concurrency, int QueueLength, double TimeoutSeconds);
