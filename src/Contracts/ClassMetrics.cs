namespace BackpropService.Contracts;

/// <summary>Precision, recall and F1 of one class.</summary>
/// <param name="Support">Samples whose actual class is this one.</param>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);
