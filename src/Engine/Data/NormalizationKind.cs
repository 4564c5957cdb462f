namespace BackpropService.Engine.Data;

/// <summary>How <see cref="Normalizer"/> rescales each input feature.</summary>
public enum NormalizationKind
{
    /// <summary>Inputs are used as they are.</summary>
    None,

    /// <summary>Each feature mapped linearly onto [0, 1] by the training minimum and maximum.</summary>
    MinMax,

    /// <summary>Each feature shifted to zero mean and scaled to unit variance (z-score).</summary>
    Standard,
}
