namespace BackpropService.Contracts;

/// <summary>A batch of inputs for a model.</summary>
/// <param name="Model">Model id, name (its latest version), <c>name@alias</c> or <c>name@version</c>. Not needed on /api/models/{id}/predict.</param>
/// <param name="Inputs">One row per sample, each as wide as the model's inputs.</param>
public sealed record PredictRequest(string? Model, IReadOnlyList<float[]?>? Inputs);
