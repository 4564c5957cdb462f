namespace BackpropService.Contracts;

/// <summary>A job body that works as it is, under a short name (<c>xor</c>) and a one-line summary.</summary>
public sealed record JobPreset(string Name, string Summary, SubmitJobRequest Request);
