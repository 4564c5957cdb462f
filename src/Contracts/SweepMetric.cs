namespace BackpropService.Contracts;

/// <summary>What a sweep ranks its jobs by: each job's best epoch of this metric (lowest loss, highest accuracy).</summary>
public enum SweepMetric
{
    ValidationLoss,
    ValidationAccuracy,
    TrainLoss,
}
