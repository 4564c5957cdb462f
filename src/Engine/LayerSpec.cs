using BackpropService.Engine.Activations;

namespace BackpropService.Engine;

/// <summary>
/// One layer of a network. The positional form is a fully connected layer (how many neurons, and their activation σ);
/// the factory methods build the others. Parameter layout inside the network's flat θ, layer by layer:
/// dense Wˡ (Size × inputs, row-major) then bˡ (Size); conv2d W (Filters × inChannels × Kernel × Kernel, ONNX's OIHW
/// order) then b (Filters); maxPool and dropout have none.
/// </summary>
public sealed record LayerSpec(int Size, ActivationKind Activation)
{
    public LayerKind Kind { get; init; } = LayerKind.Dense;

    /// <summary>conv2d: output channels (one kernel per filter).</summary>
    public int Filters { get; init; }

    /// <summary>conv2d: the side of the square kernel.</summary>
    public int Kernel { get; init; }

    /// <summary>conv2d: step between kernel positions (≥ 1).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>conv2d: zeros added on every side of the input.</summary>
    public int Padding { get; init; }

    /// <summary>maxPool: the side of the square window, which is also its stride.</summary>
    public int PoolSize { get; init; }

    /// <summary>dropout: the probability that a value is dropped while training, in [0, 1).</summary>
    public double Rate { get; init; }

    public static LayerSpec Dense(int size, ActivationKind activation) => new(size, activation);

    public static LayerSpec Conv2d(int filters, int kernel, ActivationKind activation, int stride = 1, int padding = 0) =>
        new(0, activation) { Kind = LayerKind.Conv2d, Filters = filters, Kernel = kernel, Stride = stride, Padding = padding };

    public static LayerSpec MaxPool(int size) => new(0, ActivationKind.Identity) { Kind = LayerKind.MaxPool, PoolSize = size };

    public static LayerSpec Dropout(double rate) => new(0, ActivationKind.Identity) { Kind = LayerKind.Dropout, Rate = rate };
}
