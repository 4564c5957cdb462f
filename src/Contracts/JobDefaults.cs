namespace BackpropService.Contracts;

/// <summary>The values a job gets for the fields its request leaves out.</summary>
public static class JobDefaults
{
    public const Cost Cost = Contracts.Cost.Quadratic;
    public const Optimizer Optimizer = Contracts.Optimizer.Sgd;
    public const double LearningRate = 0.1;
    public const double Momentum = 0.9;
    public const int BatchSize = 32;
    public const double L2 = 0;
    public const double L1 = 0;
    public const Initialization Init = Initialization.ScaledNormal;
    public const ulong Seed = 42;
    public const double ValidationSplit = 0.1;
    public const Normalization Normalize = Normalization.None;
}
