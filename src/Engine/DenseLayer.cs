using BackpropService.Engine.Activations;

namespace BackpropService.Engine;

/// <summary>
/// Where one fully connected layer l lives inside a network's flat parameter array: its weight matrix
/// Wˡ (row-major, <see cref="Outputs"/> × <see cref="Inputs"/>, so row j holds w_jk for every k of layer
/// l − 1) followed by its biases bˡ.
/// </summary>
public sealed class DenseLayer
{
    internal DenseLayer(int index, int inputs, int outputs, ActivationKind activation, int weightOffset)
    {
        Index = index;
        Inputs = inputs;
        Outputs = outputs;
        Activation = Activations.Activation.For(activation);
        WeightOffset = weightOffset;
    }

    /// <summary>0 for the first hidden layer.</summary>
    public int Index { get; }

    /// <summary>Neurons in the previous layer (n_in).</summary>
    public int Inputs { get; }

    /// <summary>Neurons in this layer.</summary>
    public int Outputs { get; }

    public Activation Activation { get; }

    public int WeightOffset { get; }

    public int WeightCount => Inputs * Outputs;

    public int BiasOffset => WeightOffset + WeightCount;

    public LayerSpec Spec => new(Outputs, Activation.Kind);
}
