namespace BackpropService.Web.Components.Charts;

/// <summary>One named line of a chart.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double?> Y);
