namespace BackpropService.Contracts;

/// <summary>A step-through body that works as it is, under a short name (<c>mazur</c>), a title and a one-line summary.</summary>
public sealed record ExplainPreset(string Name, string Title, string Summary, ExplainRequest Request);
