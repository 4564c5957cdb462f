using BackpropService.Engine.Activations;

namespace BackpropService.Engine;

/// <summary>
/// A network's shape without its weights: the input (a flat vector of <see cref="Inputs"/> values, or channels × height
/// × width when <see cref="InputShape"/> is given) and the layers. It knows the rules a shape must follow, the shape of
/// every layer's output, and the counts that decide what the network costs, so callers check untrusted sizes here before
/// allocating. Every other place (the network, the model file, the service's validation, ONNX export) asks this type.
/// </summary>
public sealed record NetworkShape(int Inputs, IReadOnlyList<LayerSpec> Layers)
{
    /// <summary>The input as channels × height × width (its length must be <see cref="Inputs"/>); null for a flat input.</summary>
    public TensorShape? InputShape { get; init; }

    /// <summary>The input as the first layer sees it.</summary>
    public TensorShape Input => InputShape ?? TensorShape.Flat(Inputs);

    /// <summary>
    /// The shape of each layer's output, in order. Meaningful only for a shape that <see cref="Check"/> accepts (sizes that
    /// do not fit give zero or negative dimensions here).
    /// </summary>
    public IReadOnlyList<TensorShape> OutputShapes()
    {
        var shapes = new TensorShape[Layers.Count];
        TensorShape current = Input;
        for (int l = 0; l < Layers.Count; l++)
        {
            current = OutputOf(Layers[l], current);
            shapes[l] = current;
        }
        return shapes;
    }

    /// <summary>What <paramref name="layer"/> makes of an input of shape <paramref name="input"/>.</summary>
    public static TensorShape OutputOf(LayerSpec layer, TensorShape input) => layer.Kind switch
    {
        LayerKind.Dense => TensorShape.Flat(layer.Size),
        LayerKind.Conv2d => ConvolutionOutput(input, layer.Filters, layer.Kernel, layer.Stride, layer.Padding),
        // Whole windows only: a remainder row or column is not pooled (as LibTorch and ONNX do by default).
        LayerKind.MaxPool => new TensorShape(input.Channels, Pooled(input.Height, layer.PoolSize), Pooled(input.Width, layer.PoolSize)),
        LayerKind.Dropout => input,
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Kind, "unknown layer kind"),
    };

    /// <summary>
    /// What a convolution of <paramref name="filters"/> kernels of side <paramref name="kernel"/> makes of an input of shape
    /// <paramref name="input"/>: one channel per filter, and along each axis the positions of the kernel with stride S over
    /// n + 2P values, ⌊(n + 2P − K) / S⌋ + 1.
    /// </summary>
    public static TensorShape ConvolutionOutput(TensorShape input, int filters, int kernel, int stride, int padding) =>
        new(filters, ConvolvedLength(input.Height, kernel, stride, padding), ConvolvedLength(input.Width, kernel, stride, padding));

    /// <summary>Weights and biases, layer by layer: dense (n_in + 1) · n_out; conv2d (C_in · K² + 1) · filters.</summary>
    public long ParameterCount
    {
        get
        {
            long count = 0;
            TensorShape input = Input;
            foreach (LayerSpec layer in Layers)
            {
                count += ParametersOf(layer, input);
                input = OutputOf(layer, input);
            }
            return count;
        }
    }

    /// <summary>Weights and biases of <paramref name="layer"/> on an input of shape <paramref name="input"/>.</summary>
    public static long ParametersOf(LayerSpec layer, TensorShape input) => layer.Kind switch
    {
        LayerKind.Dense => (input.Length + 1) * layer.Size,
        LayerKind.Conv2d => ((long)input.Channels * layer.Kernel * layer.Kernel + 1) * layer.Filters,
        _ => 0,
    };

    /// <summary>Values in all layers' outputs (the input excluded): the width of one sample's z, a and δ together.</summary>
    public long NeuronCount => OutputShapes().Sum(shape => shape.Length);

    /// <summary>Every rule this shape breaks under <paramref name="limits"/> (never looser than the engine's own).</summary>
    /// <param name="inputsField">The field the input size comes from, as the caller names it (<c>input</c>, a dataset).</param>
    public IReadOnlyList<RuleViolation> Check(NetworkLimits limits, string inputsField = "inputs")
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits = limits.WithinEngine();
        var violations = new List<RuleViolation>();
        if (Inputs < 1 || Inputs > limits.MaxLayerSize)
            violations.Add(new(inputsField, $"the network's input must have 1 to {limits.MaxLayerSize} values, got {Inputs}"));
        else if (InputShape is { } shape && (shape.Channels < 1 || shape.Height < 1 || shape.Width < 1 || shape.Length != Inputs))
            violations.Add(new(inputsField, $"the input shape {shape} does not hold the input's {Inputs} values"));

        if (Layers is null || Layers.Count == 0)
        {
            violations.Add(new("layers", "give at least one layer (the output layer)"));
            return violations;
        }
        if (Layers.Count > limits.MaxLayers)
        {
            violations.Add(new("layers", $"at most {limits.MaxLayers} layers are allowed, got {Layers.Count}"));
            return violations;
        }

        // The walk follows the shapes only while they are known; after a layer that does not fit, the later layers are
        // checked for their own values only.
        TensorShape? input = violations.Count == 0 ? Input : null;
        for (int l = 0; l < Layers.Count; l++)
        {
            LayerSpec layer = Layers[l];
            if (layer is null)
            {
                violations.Add(new($"layers[{l}]", "layer is missing"));
                input = null;
                continue;
            }
            int before = violations.Count;
            CheckLayer(layer, l, input, limits, violations);
            input = violations.Count == before && input is { } known ? OutputOf(layer, known) : null;
            if (input is { } output && output.Length > limits.MaxLayerSize)
            {
                violations.Add(new($"layers[{l}]", $"the layer's output would hold {output.Length:N0} values ({output}); the limit is {limits.MaxLayerSize:N0}"));
                input = null;
            }
        }

        if (Layers[^1] is { } last && last.Kind != LayerKind.Dense)
            violations.Add(new($"layers[{Layers.Count - 1}]", "the output (last) layer must be a dense layer, with one neuron per output"));

        // The count means something only for a shape whose sizes are all in range.
        if (violations.Count == 0 && ParameterCount is var parameters && parameters > limits.MaxParameters)
            violations.Add(new("layers",
                $"the network would have {parameters:N0} weights and biases; the limit is {limits.MaxParameters:N0}. Use fewer or smaller layers"));
        return violations;
    }

    /// <summary>The rules of one layer; <paramref name="input"/> is null when an earlier layer's shape is unknown.</summary>
    private void CheckLayer(LayerSpec layer, int l, TensorShape? input, NetworkLimits limits, List<RuleViolation> violations)
    {
        string field = $"layers[{l}]";
        switch (layer.Kind)
        {
            case LayerKind.Dense:
                if (layer.Size < 1 || layer.Size > limits.MaxLayerSize)
                    violations.Add(new($"{field}.size", $"the size must be between 1 and {limits.MaxLayerSize}, got {layer.Size}"));
                CheckActivation(layer, l, violations);
                break;

            case LayerKind.Conv2d:
                if (layer.Filters < 1 || layer.Filters > limits.MaxLayerSize)
                    violations.Add(new($"{field}.filters", $"the number of filters must be between 1 and {limits.MaxLayerSize}, got {layer.Filters}"));
                if (layer.Kernel < 1)
                    violations.Add(new($"{field}.kernel", $"the kernel size must be at least 1, got {layer.Kernel}"));
                if (layer.Stride < 1)
                    violations.Add(new($"{field}.stride", $"the stride must be at least 1, got {layer.Stride}"));
                if (layer.Padding < 0 || (layer.Kernel >= 1 && layer.Padding >= layer.Kernel))
                    violations.Add(new($"{field}.padding", $"the padding must be between 0 and the kernel size − 1 ({Math.Max(0, layer.Kernel - 1)}), got {layer.Padding}"));
                CheckActivation(layer, l, violations);
                if (input is { } convInput && violations.Count == 0)
                {
                    if (convInput.IsFlat)
                        violations.Add(new(field, $"a conv2d layer needs an image-shaped input (channels × height × width); it gets a flat vector of {convInput.Length:N0} values. Give the dataset a shape, or put convolutions before dense layers"));
                    else if (layer.Kernel > convInput.Height + 2L * layer.Padding || layer.Kernel > convInput.Width + 2L * layer.Padding)
                        violations.Add(new(field, $"a {layer.Kernel}x{layer.Kernel} kernel does not fit a {convInput.Height}x{convInput.Width} input"
                            + (layer.Padding > 0 ? $" padded by {layer.Padding}" : "")));
                }
                break;

            case LayerKind.MaxPool:
                if (layer.PoolSize < 1)
                    violations.Add(new($"{field}.size", $"the pool size must be at least 1, got {layer.PoolSize}"));
                else if (input is { } poolInput)
                {
                    if (poolInput.IsFlat)
                        violations.Add(new(field, $"a maxPool layer needs an image-shaped input (channels × height × width); it gets a flat vector of {poolInput.Length:N0} values"));
                    else if (layer.PoolSize > poolInput.Height || layer.PoolSize > poolInput.Width)
                        violations.Add(new(field, $"a {layer.PoolSize}x{layer.PoolSize} pool does not fit a {poolInput.Height}x{poolInput.Width} input"));
                }
                break;

            case LayerKind.Dropout:
                if (!(layer.Rate >= 0 && layer.Rate < 1))
                    violations.Add(new($"{field}.rate", $"the dropout rate must be at least 0 and below 1, got {layer.Rate}"));
                break;

            default:
                violations.Add(new($"{field}.type", $"unknown layer type; use {EnumNames.Accepted<LayerKind>()}"));
                break;
        }
    }

    private void CheckActivation(LayerSpec layer, int l, List<RuleViolation> violations)
    {
        if (!Enum.IsDefined(layer.Activation))
            violations.Add(new($"layers[{l}].activation", $"unknown activation; use {EnumNames.Accepted<ActivationKind>()}"));
        else if (layer.Activation == ActivationKind.Softmax && l != Layers.Count - 1)
            violations.Add(new($"layers[{l}].activation", "softmax is only allowed on the output (last) layer"));
    }

    private static int ConvolvedLength(int length, int kernel, int stride, int padding) =>
        stride < 1 ? 0 : (int)Math.Clamp(((long)length + 2L * padding - kernel) / stride + 1, int.MinValue, int.MaxValue);

    private static int Pooled(int length, int size) => size < 1 ? 0 : length / size;
}
