namespace BackpropService.Contracts;

/// <summary>The cost function C minimised by training.</summary>
public enum Cost
{
    /// <summary>C = ½ Σ (a_j − y_j)².</summary>
    Quadratic,

    /// <summary>Cross-entropy (binary for sigmoid outputs, categorical for softmax).</summary>
    CrossEntropy,
}
