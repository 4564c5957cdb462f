namespace BackpropService.Engine.Training;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean cost per training sample over the epoch's mini-batches (without the regularization term).</param>
/// <param name="TrainAccuracy">Share of training samples classified right during the epoch; null for regression.</param>
/// <param name="ValidationLoss">Mean cost per validation sample after the epoch; null without validation data.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch; null for regression or without validation data.</param>
/// <param name="LearningRate">η used during the epoch.</param>
/// <param name="GradientNorms">Per layer that has weights (dense, conv2d; maxPool and dropout have none), in layer order, the L2 norm ‖∂C/∂Wˡ‖ of the data cost (without the regularization term), averaged over the epoch's mini-batches.</param>
/// <param name="Seconds">Wall-clock time of the epoch.</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double? TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    double[] GradientNorms,
    double Seconds);
