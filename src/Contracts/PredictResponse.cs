namespace BackpropService.Contracts;

/// <summary>One prediction per input row, in order.</summary>
public sealed record PredictResponse(string ModelId, IReadOnlyList<Prediction> Predictions);
