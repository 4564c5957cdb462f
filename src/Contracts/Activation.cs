namespace BackpropService.Contracts;

/// <summary>A layer's activation function σ. <see cref="Softmax"/> is allowed on the output layer only.</summary>
public enum Activation
{
    Identity,
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu,
    Softmax,
}
