namespace BackpropService.Web.Components.Pages.Explain;

/// <summary>One number of the details panel: what it is, its exact value, and the equation (with its operands) that gave it.</summary>
public sealed record DetailLine(string Quantity, string Value, string Equation);
