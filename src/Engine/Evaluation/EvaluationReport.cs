namespace BackpropService.Engine.Evaluation;

/// <summary>A model measured on a dataset. Classification fills the accuracy part, regression the error part.</summary>
public sealed record EvaluationReport
{
    public required int Samples { get; init; }

    /// <summary>Mean cost per sample, with the model's own cost function.</summary>
    public required double Loss { get; init; }

    public double? Accuracy { get; init; }

    /// <summary>[actual][predicted] sample counts.</summary>
    public int[][]? ConfusionMatrix { get; init; }

    public IReadOnlyList<ClassMetrics>? PerClass { get; init; }

    /// <summary>Mean squared error over every output of every sample.</summary>
    public double? Mse { get; init; }

    /// <summary>Mean absolute error over every output of every sample.</summary>
    public double? Mae { get; init; }

    /// <summary>Coefficient of determination, 1 − SS_res / SS_tot.</summary>
    public double? R2 { get; init; }
}
