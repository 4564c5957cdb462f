using BackpropService.Contracts;

namespace BackpropService.Web.Components.Pages.Explain;

/// <summary>One layer as the step-through page edits it. <c>Weights[j][k]</c> is w_jk: from neuron k of the previous layer to neuron j.</summary>
public sealed class EditableLayer(double[][] weights, double[] biases, Activation activation)
{
    public double[][] Weights { get; } = weights;

    public double[] Biases { get; } = biases;

    public Activation Activation { get; set; } = activation;

    public int Size => Biases.Length;

    public int Inputs => Weights.Length == 0 ? 0 : Weights[0].Length;
}
