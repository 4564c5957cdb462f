namespace BackpropService.Contracts;

/// <summary>One hidden or output layer: its number of neurons and activation.</summary>
public sealed record LayerDefinition(int? Size, Activation? Activation);
