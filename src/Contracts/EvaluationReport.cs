namespace BackpropService.Contracts;

/// <summary>How well a model does on a dataset. Classification fills accuracy, confusion matrix and
/// per-class metrics; regression fills mse, mae and r2.</summary>
/// <param name="ConfusionMatrix">Rows: actual class; columns: predicted class.</param>
public sealed record EvaluationReport(
    int Samples,
    double Loss,
    double? Accuracy,
    IReadOnlyList<IReadOnlyList<int>>? ConfusionMatrix,
    IReadOnlyList<ClassMetrics>? PerClass,
    double? Mse,
    double? Mae,
    double? R2);
