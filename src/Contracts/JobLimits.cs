namespace BackpropService.Contracts;

/// <summary>
/// What one training job (<c>POST /api/jobs</c>, and each point of a sweep) may ask for, how many a key may queue, and how
/// long one may run. A request past a size limit gets 400 naming the field. An imported model file
/// (<c>POST /api/models</c>) is held to the same network limits (<see cref="MaxLayers"/>, <see cref="MaxLayerSize"/>,
/// <see cref="MaxParameters"/>).
/// </summary>
/// <param name="MaxQueuedPerKey">
/// Jobs one API key may have queued (not yet running) at once, a count; one more gets 429, admin keys included
/// (<c>Limits:MaxQueuedJobsPerKey</c>). What the caller has queued now: <c>caller.queuedJobs</c>.
/// </param>
/// <param name="MaxRunTimeSeconds">
/// Longest a job may train, in seconds, summed over its runs if it was interrupted; past it the job fails, keeping its
/// best model so far (<c>Training:MaxRunTime</c>).
/// </param>
/// <param name="MaxAttempts">
/// Times a job may be started or resumed without its run ending in an orderly way (the process was killed while it
/// trained), a count; then it fails, keeping its best model so far (<c>Training:MaxAttempts</c>).
/// </param>
/// <param name="MaxEpochs">Most epochs, a count (<c>Limits:MaxEpochs</c>).</param>
/// <param name="MaxBatchSize">Largest <c>batchSize</c>, in samples (fixed by the engine).</param>
/// <param name="MaxLayers">Most hidden plus output layers, a count (<c>Limits:MaxLayers</c>, never above the engine's own).</param>
/// <param name="MaxLayerSize">
/// Most values in one layer's output (neurons of a dense layer, filters × height × width of a convolution) and in the
/// input, a count (<c>Limits:MaxLayerSize</c>, never above the engine's own).
/// </param>
/// <param name="MaxParameters">Most weights and biases of the network, a count (<c>Limits:MaxParameters</c>, never above the engine's own).</param>
/// <param name="MaxActivationValues">
/// Most numbers the training buffers may hold, a count (4 bytes each): max(batch, 256) rows × the layers' outputs × up to 3,
/// plus the batch's inputs and targets and the validation outputs; past it the answer is 400 on <c>batchSize</c>
/// (<c>Limits:MaxActivationValues</c>).
/// </param>
/// <param name="MaxDecisionBoundaryResolution">
/// Most grid points per axis of <c>GET /api/jobs/{id}/decision-boundary?resolution=</c>, a count (fixed).
/// </param>
public sealed record JobLimits(
    int MaxQueuedPerKey,
    double MaxRunTimeSeconds,
    int MaxAttempts,
    int MaxEpochs,
    int MaxBatchSize,
    int MaxLayers,
    int MaxLayerSize,
    long MaxParameters,
    long MaxActivationValues,
    int MaxDecisionBoundaryResolution);
