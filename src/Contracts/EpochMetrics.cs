namespace BackpropService.Contracts;

/// <summary>One epoch of one job.</summary>
/// <param name="TrainAccuracy">Null for regression.</param>
/// <param name="ValidationLoss">Null without a validation split.</param>
/// <param name="GradientNorms">One L2 norm of ∂C/∂W per layer that has weights (dense and conv2d; not maxPool or dropout), in layer order, averaged over the epoch.</param>
/// <param name="Seconds">Wall-clock time of the epoch.</param>
public sealed record EpochMetrics(
    string JobId,
    int Epoch,
    double TrainLoss,
    double? TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    IReadOnlyList<double> GradientNorms,
    double Seconds);
