using System.Numerics;
using BackpropService.Engine.Activations;

namespace BackpropService.Engine.Layers;

/// <summary>
/// One layer of a <see cref="Network{T}"/>: what it computes on a mini-batch (<see cref="Forward{T}"/>) and, beside it,
/// how the error flows back through it and what gradient its parameters get (<see cref="Backward{T}"/>). It also knows
/// where its parameters live in the network's flat θ and which buffers a pass needs, so the network and the trainer's
/// footprint size everything from the shape before any pass runs. A layer holds no numbers itself: weights are in θ,
/// per-pass values in the workspace.
/// </summary>
public abstract class Layer
{
    private protected Layer(int index, LayerSpec spec, TensorShape input, int weightOffset)
    {
        Index = index;
        Spec = spec;
        Input = input;
        Output = NetworkShape.OutputOf(spec, input);
        Activation = Activations.Activation.For(spec.Activation);
        WeightOffset = weightOffset;
    }

    /// <summary>0 for the first layer after the input.</summary>
    public int Index { get; }

    /// <summary>The layer as it was specified.</summary>
    public LayerSpec Spec { get; }

    public LayerKind Kind => Spec.Kind;

    /// <summary>The shape of aˡ⁻¹ (the network's input for the first layer).</summary>
    public TensorShape Input { get; }

    /// <summary>The shape of aˡ.</summary>
    public TensorShape Output { get; }

    /// <summary>Values in one sample's input (n_in); a shaped input is read as a flat vector in CHW order.</summary>
    public int Inputs => (int)Input.Length;

    /// <summary>Values in one sample's output.</summary>
    public int Outputs => (int)Output.Length;

    /// <summary>σ; the identity for layers without one (maxPool, dropout), whose z and a are then one buffer.</summary>
    public Activation Activation { get; }

    /// <summary>Where Wˡ starts in θ.</summary>
    public int WeightOffset { get; }

    /// <summary>Weights in Wˡ (0 for a layer without parameters).</summary>
    public abstract int WeightCount { get; }

    /// <summary>Biases in bˡ, stored right after Wˡ.</summary>
    public abstract int BiasCount { get; }

    public int BiasOffset => WeightOffset + WeightCount;

    /// <summary>Weights and biases together.</summary>
    public int ParameterCount => WeightCount + BiasCount;

    /// <summary>True for the layers whose weights are trained (dense, conv2d): they get a gradient norm and a penalty.</summary>
    public bool HasWeights => WeightCount > 0;

    /// <summary>Inputs that feed one output value (n_in of the initializations): dense n_in, conv2d C_in · K².</summary>
    public virtual int FanIn => Inputs;

    /// <summary>Outputs one input value feeds, as Xavier counts them: dense n_out, conv2d filters · K².</summary>
    public virtual int FanOut => Outputs;

    /// <summary>True when z and a are different values (a layer with a σ of its own); otherwise the workspace keeps one buffer.</summary>
    internal bool KeepsWeightedInput => HasWeights;

    /// <summary>Values of the per-pass scratch the layer borrows (shared by all layers) for <paramref name="rows"/> rows.</summary>
    internal virtual long ScratchLength(int rows, int threads) => 0;

    /// <summary>Values the layer keeps per row between its forward and backward pass besides z, a and δ (a dropout mask).</summary>
    internal virtual int MaskLength => 0;

    /// <summary>Indices the layer keeps per row between its forward and backward pass (a pool's winners).</summary>
    internal virtual int WinnerLength => 0;

    /// <summary>
    /// aˡ (and zˡ where kept) for a mini-batch from aˡ⁻¹. <see cref="LayerForward{T}.WeightedInput"/> may be the same
    /// memory as <see cref="LayerForward{T}.Activation"/> (σ is then applied in place).
    /// </summary>
    internal abstract void Forward<T>(scoped in LayerForward<T> step) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// From δˡ (∂C/∂zˡ of the summed cost): this layer's gradients, scaled by <see cref="LayerBackward{T}.Scale"/>
    /// (BP3, BP4), and, when <see cref="LayerBackward{T}.InputError"/> is not empty, ∂C/∂aˡ⁻¹ (BP2 before the
    /// ⊙ σ′(zˡ⁻¹) that the layer below applies).
    /// </summary>
    internal abstract void Backward<T>(scoped in LayerBackward<T> step) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The layers of <paramref name="shape"/>, with their places in θ (the shape must pass <see cref="NetworkShape.Check"/>).</summary>
    public static Layer[] Build(NetworkShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var layers = new Layer[shape.Layers.Count];
        TensorShape input = shape.Input;
        int offset = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            LayerSpec spec = shape.Layers[l];
            Layer layer = spec.Kind switch
            {
                LayerKind.Dense => new DenseLayer(l, spec, input, offset),
                LayerKind.Conv2d => new Conv2dLayer(l, spec, input, offset),
                LayerKind.MaxPool => new MaxPoolLayer(l, spec, input, offset),
                LayerKind.Dropout => new DropoutLayer(l, spec, input, offset),
                _ => throw new ArgumentOutOfRangeException(nameof(shape), spec.Kind, "unknown layer kind"),
            };
            layers[l] = layer;
            offset += layer.ParameterCount; // fits: the shape's check bounds the count by Array.MaxLength
            input = layer.Output;
        }
        return layers;
    }
}
