namespace BackpropService.Contracts;

/// <summary>A layer's parameters. <c>Weights[j][k]</c> is w^l_jk: from neuron k of the previous layer to neuron j of this one.</summary>
public sealed record ExplainLayer(double[][]? Weights, double[]? Biases, Activation? Activation);
