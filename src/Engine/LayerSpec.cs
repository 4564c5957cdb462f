using BackpropService.Engine.Activations;

namespace BackpropService.Engine;

/// <summary>One fully connected layer of a network: how many neurons, and their activation σ.</summary>
public sealed record LayerSpec(int Size, ActivationKind Activation);
