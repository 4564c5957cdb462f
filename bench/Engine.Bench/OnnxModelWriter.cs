using System.Runtime.InteropServices;

namespace BackpropService.Engine.Bench;

/// <summary>
/// Writes a trained network of fully connected layers as an ONNX model (onnx.proto3, IR version 8, opset 13),
/// so ONNX Runtime runs exactly the same weights: per layer a <c>Gemm</c> node (Y = X·Wᵀ + b, transB = 1, which
/// is our row-major neurons × inputs layout as it is), then <c>Relu</c>, <c>Sigmoid</c>, <c>Tanh</c> or
/// <c>Softmax</c> (axis −1). Input "input" [N × inputs], output "output" [N × outputs], N symbolic.
/// Field numbers from onnx.proto: ModelProto ir_version 1, producer_name 2, graph 7, opset_import 8;
/// GraphProto node 1, name 2, initializer 5, input 11, output 12; NodeProto input 1, output 2, name 3,
/// op_type 4, attribute 5; AttributeProto name 1, f 2, i 3, type 20; TensorProto dims 1, data_type 2,
/// name 8, raw_data 9; ValueInfoProto name 1, type 2; TypeProto tensor_type 1; TypeProto.Tensor
/// elem_type 1, shape 2; TensorShapeProto dim 1; Dimension dim_value 1, dim_param 2.
/// </summary>
internal static class OnnxModelWriter
{
    private const int FloatType = 1;       // TensorProto.DataType.FLOAT
    private const int IntAttribute = 2;    // AttributeProto.AttributeType.INT

    public static byte[] Write(Network<float> network)
    {
        var model = new ProtobufWriter()
            .Integer(1, 8)
            .Text(2, "BackpropService.Engine.Bench")
            .Message(8, opset => opset.Text(1, "").Integer(2, 13));
        model.Message(7, graph =>
        {
            string previous = "input";
            for (int l = 0; l < network.Layers.Count; l++)
            {
                DenseLayer layer = network.Layers[l];
                string weights = $"W{l}", biases = $"b{l}", weighted = $"z{l}";
                string activated = l == network.Layers.Count - 1 ? "output" : $"a{l}";
                graph.Message(5, t => Tensor(t, weights, [layer.Outputs, layer.Inputs], network.Weights(l)));
                graph.Message(5, t => Tensor(t, biases, [layer.Outputs], network.Biases(l)));
                string input = previous;
                graph.Message(1, node => node
                    .Text(1, input).Text(1, weights).Text(1, biases).Text(2, weighted)
                    .Text(3, $"gemm{l}").Text(4, "Gemm")
                    .Message(5, attribute => attribute.Text(1, "transB").Integer(3, 1).Integer(20, IntAttribute)));
                string operation = layer.Activation.Kind switch
                {
                    Activations.ActivationKind.Relu => "Relu",
                    Activations.ActivationKind.Sigmoid => "Sigmoid",
                    Activations.ActivationKind.Tanh => "Tanh",
                    Activations.ActivationKind.Softmax => "Softmax",
                    Activations.ActivationKind.Identity => "Identity",
                    _ => throw new NotSupportedException($"no ONNX operator written for {layer.Activation.Kind}"),
                };
                graph.Message(1, node =>
                {
                    node.Text(1, weighted).Text(2, activated).Text(3, $"act{l}").Text(4, operation);
                    if (operation == "Softmax")
                        node.Message(5, attribute => attribute.Text(1, "axis").Integer(3, -1).Integer(20, IntAttribute));
                });
                previous = activated;
            }
            graph.Text(2, "network");
            graph.Message(11, info => ValueInfo(info, "input", network.Inputs));
            graph.Message(12, info => ValueInfo(info, "output", network.Outputs));
        });
        return model.ToArray();
    }

    private static void Tensor(ProtobufWriter tensor, string name, long[] dimensions, ReadOnlySpan<float> values)
    {
        foreach (long dimension in dimensions) tensor.Integer(1, dimension);
        tensor.Integer(2, FloatType).Text(8, name);
        tensor.Bytes(9, MemoryMarshal.AsBytes(values)); // raw_data: little-endian, as on x86
    }

    /// <summary>A float tensor of shape [N × <paramref name="width"/>] with N symbolic.</summary>
    private static void ValueInfo(ProtobufWriter info, string name, int width) =>
        info.Text(1, name).Message(2, type => type.Message(1, tensorType => tensorType
            .Integer(1, FloatType)
            .Message(2, shape => shape
                .Message(1, dimension => dimension.Text(2, "N"))
                .Message(1, dimension => dimension.Integer(1, width)))));
}
