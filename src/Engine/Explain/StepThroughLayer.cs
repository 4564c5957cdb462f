using BackpropService.Engine.Activations;

namespace BackpropService.Engine.Explain;

/// <summary>One layer given to the step-through: <c>Weights[j][k]</c> is w_jk, from neuron k of the previous layer to neuron j of this one.</summary>
public sealed record StepThroughLayer(double[][] Weights, double[] Biases, ActivationKind Activation);
