namespace BackpropService.Contracts;

/// <summary>
/// What a dataset upload (<c>POST /api/datasets</c>) may hold, and how many uploads and whole-dataset reads the service
/// serves at once. The upload's own size is <see cref="RequestLimits.MaxUploadBytes"/>.
/// </summary>
/// <param name="MaxDecodedBytes">
/// Largest dataset once decoded, in bytes (4 bytes a stored number: features, targets and class indices; for a CSV
/// also its uncompressed text); past it the upload gets 400 on <c>file</c> (<c>Limits:MaxDatasetBytes</c>).
/// </param>
/// <param name="MaxCsvColumns">Most columns in one CSV row (features plus the label), a count; a wider row gets 400 on <c>file</c> (<c>Limits:MaxCsvColumns</c>).</param>
/// <param name="MaxCsvFieldLength">Longest CSV field, in characters; a longer one gets 400 on <c>file</c> (<c>Limits:MaxCsvFieldLength</c>).</param>
/// <param name="MaxClasses">Most classes a label column may have, a count; more get 400 (<c>Limits:MaxClasses</c>).</param>
/// <param name="MaxQueuedUploads">
/// Uploads that may wait while another one is parsed (one is parsed at a time), a count; past them an upload gets 503
/// with <c>Retry-After</c> (<c>Limits:MaxQueuedUploads</c>).
/// </param>
/// <param name="ReadConcurrency">
/// Requests that load a whole dataset (preview, decision boundary, evaluate, explain-request) served at once, a count
/// (<c>Limits:DatasetReadConcurrency</c>).
/// </param>
/// <param name="ReadQueueLength">
/// Such requests that may wait for a turn, a count; past them the answer is 503 with <c>Retry-After</c>
/// (<c>Limits:DatasetReadQueue</c>).
/// </param>
public sealed record DatasetLimits(
    long MaxDecodedBytes,
    int MaxCsvColumns,
    int MaxCsvFieldLength,
    int MaxClasses,
    int MaxQueuedUploads,
    int ReadConcurrency,
    int ReadQueueLength);
