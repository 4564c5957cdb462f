namespace BackpropService.Contracts;

/// <summary>
/// Every limit that can refuse a client's request or end its job, as the answering process is configured
/// (<c>GET /api/limits</c>), so a client can size its requests before sending them. The first three fields are the request sizes (kept at the top
/// for older clients); the rest are grouped by what they bound.
/// </summary>
/// <param name="MaxUploadBytes">Largest multipart upload (a dataset, or a model file), in bytes; larger ones get 413 (<c>Limits:MaxUploadBytes</c>).</param>
/// <param name="MaxJsonBytes">Largest JSON request body, in bytes; larger ones get 413 (<c>Limits:MaxJsonBytes</c>).</param>
/// <param name="MaxPredictRows">Most input rows in one predict request, a count; more get 400 on <c>inputs</c> (<c>Limits:MaxPredictRows</c>).</param>
/// <param name="MaxNameLength">
/// Longest name of a job, dataset, model or API key, in characters; longer ones get 400 on <c>name</c> (fixed). A sweep's
/// name has its own limit (<c>sweeps.maxNameLength</c>).
/// </param>
/// <param name="Predict">The predict routes' rate, concurrency and time limits (<c>Limits:Predict</c>).</param>
/// <param name="Jobs">What one training job may ask for, how many a key may queue, and how long one may run.</param>
/// <param name="Sweeps">The size of one sweep.</param>
/// <param name="Datasets">What a dataset upload may hold, and how many uploads and whole-dataset reads are served at once.</param>
/// <param name="Explain">The size of a network the step-through (<c>POST /api/explain</c>) shows.</param>
/// <param name="Paging">Items per page of the paged lists (<c>?limit=</c>).</param>
/// <param name="LiveUpdates">What one connection to the hub <c>/hubs/training</c> may hold.</param>
/// <param name="Caller">What the calling API key has used of its own quotas, at the time of the answer.</param>
public sealed record RequestLimits(
    long MaxUploadBytes,
    long MaxJsonBytes,
    int MaxPredictRows,
    int MaxNameLength,
    PredictRequestLimits Predict,
    JobLimits Jobs,
    SweepLimits Sweeps,
    DatasetLimits Datasets,
    ExplainLimits Explain,
    PagingLimits Paging,
    LiveUpdateLimits LiveUpdates,
    CallerQuota Caller);
