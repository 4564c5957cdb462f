namespace BackpropService.Engine.Evaluation;

/// <summary>How well one class is recognised.</summary>
/// <param name="Label">The class name.</param>
/// <param name="Precision">Of the samples predicted as this class, the share that are.</param>
/// <param name="Recall">Of the samples of this class, the share predicted as it.</param>
/// <param name="F1">Harmonic mean of precision and recall.</param>
/// <param name="Support">Samples of this class in the data.</param>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);
