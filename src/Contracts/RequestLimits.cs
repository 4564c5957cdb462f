namespace BackpropService.Contracts;

/// <summary>How large a request the service accepts (its <c>Limits</c> configuration), so a client can check before sending.</summary>
/// <param name="MaxUploadBytes">Largest multipart upload (a dataset, or a model file), in bytes; larger ones get 413.</param>
/// <param name="MaxJsonBytes">Largest JSON request body, in bytes; larger ones get 413.</param>
/// <param name="MaxPredictRows">Most input rows in one predict request.</param>
public sealed record RequestLimits(long MaxUploadBytes, long MaxJsonBytes, int MaxPredictRows);
