namespace BackpropService.Api.Persistence;

/// <summary>One epoch's metrics; the key (job, epoch) makes each epoch stored exactly once.</summary>
public sealed class EpochMetricsEntity
{
    public required string JobId { get; set; }
    public int Epoch { get; set; }
    public double TrainLoss { get; set; }
    public double? TrainAccuracy { get; set; }
    public double? ValidationLoss { get; set; }
    public double? ValidationAccuracy { get; set; }
    public double LearningRate { get; set; }
    public double[] GradientNorms { get; set; } = [];
    public double Seconds { get; set; }
}
