namespace BackpropService.Engine.Costs;

/// <summary>The cost functions C a network can be trained on.</summary>
public enum CostKind
{
    /// <summary>C = ½‖a − y‖².</summary>
    Quadratic,

    /// <summary>Binary cross-entropy per output for sigmoid outputs; log-likelihood for a softmax output.</summary>
    CrossEntropy,
}
