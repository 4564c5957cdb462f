using Onnx;

namespace BackpropService.Engine.Export;

/// <summary>
/// Builds an ONNX graph as a chain: every node reads the tensor the previous one wrote (<see cref="Current"/>), plus
/// any weights it brings as initializers, and writes the next. A layer kind appends its own nodes this way without
/// knowing what came before it, so a new kind (a convolution's Reshape, Conv and MaxPool, a Flatten) is one more
/// method beside the dense layer's in <see cref="OnnxExporter"/>.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph;

    /// <param name="name">The graph's name.</param>
    /// <param name="inputName">The graph's input tensor: float, [N × <paramref name="inputWidth"/>] with N symbolic.</param>
    /// <param name="inputWidth">Features per row.</param>
    public OnnxGraphBuilder(string name, string inputName, int inputWidth)
    {
        _graph = new GraphProto { Name = name };
        _graph.Input.Add(RowsOf(inputName, inputWidth));
        Current = inputName;
    }

    /// <summary>The tensor the next node reads: the graph's input until a node has been appended.</summary>
    public string Current { get; private set; }

    /// <summary>Adds a float constant (a weight matrix, a bias vector, a per-feature offset) and returns its name.</summary>
    public string AddInitializer(string name, ReadOnlySpan<float> values, params long[] dimensions)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dimensions);
        tensor.FloatData.AddRange(values.ToArray());
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds an int64 constant (a shape for Reshape) and returns its name.</summary>
    public string AddInt64Initializer(string name, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>
    /// Appends the node <paramref name="name"/>: <paramref name="operation"/> (an operator of the default ONNX domain)
    /// on <see cref="Current"/> and then <paramref name="constants"/>, writing the tensor <paramref name="output"/>, which
    /// becomes <see cref="Current"/>.
    /// </summary>
    public void Append(string name, string operation, string output, IEnumerable<string> constants, params AttributeProto[] attributes)
    {
        var node = new NodeProto { Name = name, OpType = operation };
        node.Input.Add(Current);
        node.Input.AddRange(constants);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        Current = output;
    }

    /// <summary>
    /// The finished graph: the last node's tensor is renamed <paramref name="outputName"/> (nothing else reads it) and
    /// declared as the graph's output, float [N × <paramref name="outputWidth"/>].
    /// </summary>
    public GraphProto Complete(string outputName, int outputWidth)
    {
        if (_graph.Node.Count == 0) throw new InvalidOperationException("the graph has no node to produce its output.");
        _graph.Node[^1].Output[0] = outputName;
        Current = outputName;
        _graph.Output.Add(RowsOf(outputName, outputWidth));
        return _graph;
    }

    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto FloatAttribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A float tensor of shape [N × <paramref name="width"/>], N symbolic: any number of rows.</summary>
    private static ValueInfoProto RowsOf(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
