namespace BackpropService.Contracts;

/// <summary>Which dataset to evaluate a model on.</summary>
public sealed record EvaluateRequest(string? DatasetId);
