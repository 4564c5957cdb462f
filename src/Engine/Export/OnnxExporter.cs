using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using BackpropService.Engine.Activations;
using BackpropService.Engine.Data;
using BackpropService.Engine.Layers;
using Google.Protobuf;
using Onnx;

namespace BackpropService.Engine.Export;

/// <summary>
/// Writes a trained model as a standard ONNX model, so that ONNX Runtime (or Triton, ML.NET, …) gives the outputs
/// <see cref="TrainedModel.Predict"/> gives. The graph takes raw inputs, "input" [N × inputs], the rows
/// <c>/predict</c> takes (an image in channel, row, column order), and gives "output" [N × outputs]: first the stored
/// normalization, x′ = (x − offset) · scale as Sub and Mul; for a model of images a Reshape to [N, C, H, W]; then per
/// conv2d layer a Conv (kernel_shape, strides, pads; our kernels are already OIHW) and its activation, per maxPool a
/// MaxPool (window = stride), a Flatten before the first dense layer after them, and per dense layer a Gemm,
/// z = a·Wᵀ + b (transB = 1 reads our row-major neurons × inputs weights as they are), and its activation. Dropout is
/// the identity at inference, so it has no node.
/// The classes come from OnnxSharp, generated from the ONNX specification's onnx.proto, and Google.Protobuf writes them.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The graph's input and output tensors.</summary>
    public const string InputName = "input", OutputName = "output";

    /// <summary>
    /// Operator set 13 (ONNX 1.8), the oldest whose Softmax normalizes along one axis only (earlier ones flatten every
    /// axis from it on): every runtime of the last years reads it.
    /// </summary>
    public const long OperatorSetVersion = 13;

    /// <summary>IR version 7 (ONNX 1.7/1.8), the one operator set 13 came with.</summary>
    public const long IrVersion = 7;

    public const string ProducerName = "BackpropService";

    /// <summary>The ONNX model file of <paramref name="model"/>, named <paramref name="name"/> version <paramref name="version"/>.</summary>
    public static byte[] Export(TrainedModel model, string name, int version)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var graph = new OnnxGraphBuilder(name, InputName, model.Inputs);
        AppendNormalization(graph, model.Normalizer);
        bool spatial = model.Shape.InputShape is not null;
        if (spatial) AppendReshape(graph, model.Shape.Input);
        foreach (Layer layer in model.Network.Layers)
        {
            switch (layer.Kind)
            {
                case LayerKind.Conv2d:
                    AppendConvolution(graph, model.Network, layer);
                    break;
                case LayerKind.MaxPool:
                    AppendMaxPool(graph, layer);
                    break;
                case LayerKind.Dropout:
                    break; // inverted dropout: the identity at inference
                case LayerKind.Dense:
                    if (spatial) graph.Append($"layer{layer.Index}.flatten", "Flatten", $"layer{layer.Index}.flattened", [], OnnxGraphBuilder.IntAttribute("axis", 1));
                    spatial = false;
                    AppendDense(graph, model.Network, layer);
                    break;
                default:
                    throw new NotSupportedException($"no ONNX operator is written for the layer kind {layer.Kind}.");
            }
        }

        var onnx = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            ModelVersion = version,
            DocString = $"{name} version {version}: raw (unnormalized) inputs in, the output layer's activations out.",
            Graph = graph.Complete(OutputName, model.Outputs),
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OperatorSetVersion });
        AddMetadata(onnx, OnnxMetadataKeys.Name, name);
        AddMetadata(onnx, OnnxMetadataKeys.Version, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AddMetadata(onnx, OnnxMetadataKeys.Task, model.Task.ToCamelCase());
        AddMetadata(onnx, OnnxMetadataKeys.Normalization, model.Normalizer.Kind.ToCamelCase());
        if (model.ClassNames is { } classNames)
            AddMetadata(onnx, OnnxMetadataKeys.ClassLabels, JsonSerializer.Serialize(classNames, LabelsJson));
        return onnx.ToByteArray();
    }

    /// <summary>
    /// Class names as they read ("Äpfel", not "\u00C4pfel"): the metadata is shown by model viewers and read by JSON
    /// parsers, never put into HTML, so only what JSON itself needs is escaped.
    /// </summary>
    private static readonly JsonSerializerOptions LabelsJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The engine's version, as its assembly states it.</summary>
    private static string ProducerVersion { get; } =
        typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "";

    /// <summary>x′ = (x − offset) · scale per feature, in that order, as <see cref="Normalizer.Apply(Span{float})"/> rounds.</summary>
    private static void AppendNormalization(OnnxGraphBuilder graph, Normalizer normalizer)
    {
        if (normalizer.Kind == NormalizationKind.None) return;
        string offset = graph.AddInitializer("normalize.offset", normalizer.Offset, normalizer.Features);
        string scale = graph.AddInitializer("normalize.scale", normalizer.Scale, normalizer.Features);
        graph.Append("normalize.subtract", "Sub", "normalize.shifted", [offset]);
        graph.Append("normalize.multiply", "Mul", "normalized", [scale]);
    }

    /// <summary>
    /// The rows [N × C·H·W] as images [N, C, H, W] (N from the rows: -1), which is how our values are laid out: channel by
    /// channel, each row by row.
    /// </summary>
    private static void AppendReshape(OnnxGraphBuilder graph, TensorShape input)
    {
        string shape = graph.AddInt64Initializer("input.shape", [-1, input.Channels, input.Height, input.Width]);
        graph.Append("input.reshape", "Reshape", "input.images", [shape]);
    }

    /// <summary>
    /// zˡ = Wˡ ⋆ aˡ⁻¹ + bˡ, the cross-correlation our convolution computes (as ONNX's Conv does): kernels [filters, C, K, K],
    /// the same zero padding on every side, the same stride both ways; then aˡ = σ(zˡ).
    /// </summary>
    private static void AppendConvolution(OnnxGraphBuilder graph, Network<float> network, Layer layer)
    {
        LayerSpec spec = layer.Spec;
        string prefix = $"layer{layer.Index}";
        string weights = graph.AddInitializer($"{prefix}.weights", network.Weights(layer.Index), spec.Filters, layer.Input.Channels, spec.Kernel, spec.Kernel);
        string biases = graph.AddInitializer($"{prefix}.biases", network.Biases(layer.Index), spec.Filters);
        graph.Append($"{prefix}.conv", "Conv", $"{prefix}.weightedInput", [weights, biases],
            OnnxGraphBuilder.IntsAttribute("kernel_shape", spec.Kernel, spec.Kernel),
            OnnxGraphBuilder.IntsAttribute("strides", spec.Stride, spec.Stride),
            OnnxGraphBuilder.IntsAttribute("pads", spec.Padding, spec.Padding, spec.Padding, spec.Padding));
        AppendActivation(graph, layer.Activation.Kind, prefix);
    }

    /// <summary>The max of each non-overlapping window per channel; a remainder row or column is dropped (ceil_mode 0), as in the engine.</summary>
    private static void AppendMaxPool(OnnxGraphBuilder graph, Layer layer)
    {
        int size = layer.Spec.PoolSize;
        graph.Append($"layer{layer.Index}.maxPool", "MaxPool", $"layer{layer.Index}.pooled", [],
            OnnxGraphBuilder.IntsAttribute("kernel_shape", size, size),
            OnnxGraphBuilder.IntsAttribute("strides", size, size));
    }

    /// <summary>zˡ = aˡ⁻¹ · Wˡᵀ + bˡ (Gemm, transB = 1, W stored neurons × inputs), then aˡ = σ(zˡ).</summary>
    private static void AppendDense(OnnxGraphBuilder graph, Network<float> network, Layer layer)
    {
        string prefix = $"layer{layer.Index}";
        string weights = graph.AddInitializer($"{prefix}.weights", network.Weights(layer.Index), layer.Outputs, layer.Inputs);
        string biases = graph.AddInitializer($"{prefix}.biases", network.Biases(layer.Index), layer.Outputs);
        graph.Append($"{prefix}.gemm", "Gemm", $"{prefix}.weightedInput", [weights, biases], OnnxGraphBuilder.IntAttribute("transB", 1));
        AppendActivation(graph, layer.Activation.Kind, prefix);
    }

    /// <summary>σ applied to <see cref="OnnxGraphBuilder.Current"/> element-wise (softmax: along the last axis, each row).</summary>
    private static void AppendActivation(OnnxGraphBuilder graph, ActivationKind kind, string prefix)
    {
        string node = $"{prefix}.{kind.ToCamelCase()}", output = $"{prefix}.activation";
        switch (kind)
        {
            case ActivationKind.Identity: graph.Append(node, "Identity", output, []); break;
            case ActivationKind.Sigmoid: graph.Append(node, "Sigmoid", output, []); break;
            case ActivationKind.Tanh: graph.Append(node, "Tanh", output, []); break;
            case ActivationKind.Relu: graph.Append(node, "Relu", output, []); break;
            case ActivationKind.LeakyRelu:
                graph.Append(node, "LeakyRelu", output, [], OnnxGraphBuilder.FloatAttribute("alpha", (float)LeakyReluActivation.NegativeSlope));
                break;
            case ActivationKind.Softmax: graph.Append(node, "Softmax", output, [], OnnxGraphBuilder.IntAttribute("axis", -1)); break;
            default: throw new NotSupportedException($"no ONNX operator is written for the activation {kind}.");
        }
    }

    private static void AddMetadata(ModelProto onnx, string key, string value) =>
        onnx.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}
