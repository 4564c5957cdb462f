namespace BackpropService.Engine.Data;

/// <summary>What a dataset's targets mean.</summary>
public enum TaskKind
{
    /// <summary>Each sample belongs to one class; targets are one-hot vectors.</summary>
    Classification,

    /// <summary>Targets are real numbers.</summary>
    Regression,
}
