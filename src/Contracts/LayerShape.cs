namespace BackpropService.Contracts;

/// <summary>A layer of a job or model: neurons and activation.</summary>
public sealed record LayerShape(int Size, Activation Activation);
