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

    /// <summary>A layer without <c>type</c> is fully connected.</summary>
    public const LayerType LayerType = Contracts.LayerType.Dense;

    /// <summary>conv2d: the kernel moves one value at a time.</summary>
    public const int ConvStride = 1;

    /// <summary>conv2d: no zeros around the input ("valid" convolution: the output is smaller than the input).</summary>
    public const int ConvPadding = 0;

    /// <summary>conv2d: ReLU, what convolutions are almost always followed by (a dense layer's activation has no default).</summary>
    public const Activation ConvActivation = Activation.Relu;
}
