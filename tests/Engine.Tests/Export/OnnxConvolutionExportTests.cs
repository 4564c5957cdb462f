using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Export;
using Microsoft.ML.OnnxRuntime;

namespace BackpropService.Engine.Tests.Export;

/// <summary>
/// A convolutional model exported to ONNX (Reshape, Conv, MaxPool, Flatten, Gemm; no node for dropout) gives, in ONNX
/// Runtime, the outputs <see cref="TrainedModel.Predict"/> gives on the same raw rows.
/// </summary>
public class OnnxConvolutionExportTests
{
    private static readonly TensorShape Image = new(2, 9, 9);
    private const int Rows = 100;
    private const float Tolerance = 1e-5f;

    [Theory]
    [InlineData(ActivationKind.Relu, NormalizationKind.Standard)]
    [InlineData(ActivationKind.Tanh, NormalizationKind.MinMax)]
    [InlineData(ActivationKind.LeakyRelu, NormalizationKind.None)]
    [InlineData(ActivationKind.Sigmoid, NormalizationKind.Standard)]
    [InlineData(ActivationKind.Identity, NormalizationKind.None)]
    public void Onnx_runtime_gives_the_engines_outputs_for_a_net_with_stride_padding_pool_and_dropout(ActivationKind activation, NormalizationKind normalization)
    {
        var random = new Random(HashCode.Combine(activation, normalization) & 0xFFFF);
        TrainedModel model = RandomModel(activation, normalization, random);
        int features = (int)Image.Length;
        float[] rows = RawRows(random, Rows);

        float[] onnx = OnnxExporterTests.RunOnnx(OnnxExporter.Export(model, "images", 1), rows, Rows, features);

        float[] expected = new float[model.Outputs];
        double spread = 0;
        for (int row = 0; row < Rows; row++)
        {
            model.Predict(rows.AsSpan(row * features, features), expected);
            for (int j = 0; j < model.Outputs; j++)
            {
                float actual = onnx[row * model.Outputs + j];
                Assert.True(MathF.Abs(actual - expected[j]) <= Tolerance, $"row {row}, output {j}: engine {expected[j]}, ONNX Runtime {actual}.");
                spread = Math.Max(spread, Math.Abs(expected[j] - 1.0 / model.Outputs));
            }
        }
        // The comparison means something: the outputs are not all one value.
        Assert.True(spread > 0.05, $"the outputs stay within {spread} of uniform.");
    }

    [Fact]
    public void The_graph_takes_the_rows_predict_takes_and_has_one_node_per_operation_without_dropout()
    {
        TrainedModel model = RandomModel(ActivationKind.Relu, NormalizationKind.None, new Random(1));

        byte[] file = OnnxExporter.Export(model, "images", 1);
        using var session = new InferenceSession(file);

        Assert.Equal([-1, (int)Image.Length], session.InputMetadata["input"].Dimensions);
        Assert.Equal([-1, model.Outputs], session.OutputMetadata["output"].Dimensions);
        var graph = Onnx.ModelProto.Parser.ParseFrom(file).Graph;
        Assert.Equal(
            ["Reshape", "Conv", "Relu", "MaxPool", "Conv", "Relu", "Flatten", "Gemm", "Sigmoid", "Gemm", "Softmax"],
            graph.Node.Select(node => node.OpType));
        var conv = graph.Node.First(node => node.OpType == "Conv");
        Assert.Equal([3L, 3L], conv.Attribute.Single(a => a.Name == "kernel_shape").Ints);
        Assert.Equal([2L, 2L], conv.Attribute.Single(a => a.Name == "strides").Ints);
        Assert.Equal([1L, 1L, 1L, 1L], conv.Attribute.Single(a => a.Name == "pads").Ints);
    }

    /// <summary>
    /// 2×9×9 → conv 4 of 3×3, stride 2, padding 1 (4×5×5) → maxPool 2 (4×2×2: the fifth row and column are dropped) →
    /// dropout → conv 3 of 2×2 (3×1×1) → dense 5 sigmoid → dense 3 softmax; weights uniform in [−1, 1].
    /// </summary>
    private static TrainedModel RandomModel(ActivationKind activation, NormalizationKind normalization, Random random)
    {
        var shape = new NetworkShape((int)Image.Length,
        [
            LayerSpec.Conv2d(4, 3, activation, stride: 2, padding: 1),
            LayerSpec.MaxPool(2),
            LayerSpec.Dropout(0.3),
            LayerSpec.Conv2d(3, 2, activation),
            LayerSpec.Dense(5, ActivationKind.Sigmoid),
            LayerSpec.Dense(3, ActivationKind.Softmax),
        ]) { InputShape = Image };
        var network = new Network<float>(shape);
        for (int i = 0; i < network.ParameterCount; i++) network.Parameters[i] = (float)(2 * random.NextDouble() - 1);
        const int trainingRows = 50;
        var training = new Dataset("training", TaskKind.Regression, (int)Image.Length, 1, RawRows(random, trainingRows), new float[trainingRows]);
        return new TrainedModel(network, Normalizer.Fit(normalization, training), TaskKind.Classification, ["a", "b", "c"], CostKind.CrossEntropy, null);
    }

    /// <summary>Pixel-like values in [0, 3).</summary>
    private static float[] RawRows(Random random, int rows)
    {
        var values = new float[rows * (int)Image.Length];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(3 * random.NextDouble());
        return values;
    }
}
