namespace BackpropService.Web.Components.Charts;

/// <summary>One marker of a scatter chart: x is a number or, for a category, text; the label shows on hover.</summary>
public sealed record ScatterPoint(object X, double Y, string Label);
