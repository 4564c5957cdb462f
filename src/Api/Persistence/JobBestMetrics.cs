namespace BackpropService.Api.Persistence;

/// <summary>A job's best value of each metric a sweep can rank by, over its stored epochs.</summary>
public sealed record JobBestMetrics(string JobId, double? ValidationLoss, double? ValidationAccuracy, double? TrainLoss);
