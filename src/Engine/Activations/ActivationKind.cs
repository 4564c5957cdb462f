namespace BackpropService.Engine.Activations;

/// <summary>The activation functions σ a layer can use.</summary>
public enum ActivationKind
{
    Identity,
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu,

    /// <summary>Output layer only: turns a row of weighted inputs into probabilities.</summary>
    Softmax,
}
