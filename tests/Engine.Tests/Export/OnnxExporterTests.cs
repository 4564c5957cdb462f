using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Export;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace BackpropService.Engine.Tests.Export;

/// <summary>
/// The exported ONNX model, run by ONNX Runtime (an independent implementation of every operator), gives the outputs
/// <see cref="TrainedModel.Predict"/> gives on the same raw rows, for every activation and normalization.
/// </summary>
public class OnnxExporterTests
{
    private const int Features = 5, Rows = 300;
    private const float Tolerance = 1e-5f;

    public static TheoryData<ActivationKind, NormalizationKind> EveryActivationWithEveryNormalization()
    {
        var cases = new TheoryData<ActivationKind, NormalizationKind>();
        foreach (ActivationKind activation in Enum.GetValues<ActivationKind>())
            foreach (NormalizationKind normalization in Enum.GetValues<NormalizationKind>())
                cases.Add(activation, normalization);
        return cases;
    }

    [Theory]
    [MemberData(nameof(EveryActivationWithEveryNormalization))]
    public void Onnx_runtime_gives_the_engines_outputs_on_hundreds_of_random_rows(ActivationKind activation, NormalizationKind normalization)
    {
        // A fixed seed per case: HashCode.Combine is randomized per process, which made a case fail now and then (a random
        // leaky-ReLU network whose outputs all came out near zero).
        var random = new Random(100 * (int)activation + (int)normalization);
        TrainedModel model = RandomModel(activation, normalization, random);
        float[] rows = RawRows(random, Rows, normalization);

        float[] onnx = RunOnnx(OnnxExporter.Export(model, "random", 1), rows, Rows, Features);

        float[] expected = new float[model.Outputs];
        double largest = 0;
        for (int row = 0; row < Rows; row++)
        {
            model.Predict(rows.AsSpan(row * Features, Features), expected);
            for (int j = 0; j < model.Outputs; j++)
            {
                float actual = onnx[row * model.Outputs + j];
                Assert.True(MathF.Abs(actual - expected[j]) <= Tolerance,
                    $"row {row}, output {j}: engine {expected[j]}, ONNX Runtime {actual}.");
                largest = Math.Max(largest, Math.Abs(expected[j]));
            }
        }
        // The comparison means something: the outputs are not all near zero.
        Assert.True(largest > 0.1, $"the largest output is {largest}.");
    }

    [Theory]
    [InlineData(NormalizationKind.MinMax)]
    [InlineData(NormalizationKind.Standard)]
    public void The_normalization_is_in_the_graph_so_it_takes_raw_inputs(NormalizationKind normalization)
    {
        var random = new Random(7);
        TrainedModel model = RandomModel(ActivationKind.Tanh, normalization, random);
        float[] rows = RawRows(random, Rows, normalization);
        float[] onnx = RunOnnx(OnnxExporter.Export(model, "random", 1), rows, Rows, Features);

        // The same network without its normalization answers differently, so the agreement above depends on it.
        var withoutNormalization = new TrainedModel(model.Network, new Normalizer(NormalizationKind.None, new float[Features], Ones(Features)),
            model.Task, model.ClassNames, model.Cost, null);
        float[] raw = new float[model.Outputs];
        double difference = 0;
        for (int row = 0; row < Rows; row++)
        {
            withoutNormalization.Predict(rows.AsSpan(row * Features, Features), raw);
            for (int j = 0; j < raw.Length; j++) difference = Math.Max(difference, Math.Abs(raw[j] - onnx[row * raw.Length + j]));
        }
        Assert.True(difference > 0.1, $"the exported model's outputs differ from the unnormalized network's by at most {difference}.");
    }

    [Fact]
    public void The_model_declares_its_signature_producer_and_metadata()
    {
        TrainedModel model = RandomModel(ActivationKind.Softmax, NormalizationKind.Standard, new Random(3));

        using var session = new InferenceSession(OnnxExporter.Export(model, "iris", 4));

        NodeMetadata input = Assert.Single(session.InputMetadata, i => i.Key == "input").Value;
        NodeMetadata output = Assert.Single(session.OutputMetadata, o => o.Key == "output").Value;
        Assert.Equal([-1, Features], input.Dimensions);
        Assert.Equal("N", input.SymbolicDimensions[0]);
        Assert.Equal([-1, model.Outputs], output.Dimensions);
        Assert.Equal(typeof(float), input.ElementType);
        ModelMetadata metadata = session.ModelMetadata;
        Assert.Equal("BackpropService", metadata.ProducerName);
        Assert.Equal("iris", metadata.GraphName);
        Assert.Equal(4, metadata.Version);
        Assert.Equal("iris", metadata.CustomMetadataMap[OnnxMetadataKeys.Name]);
        Assert.Equal("4", metadata.CustomMetadataMap[OnnxMetadataKeys.Version]);
        Assert.Equal("classification", metadata.CustomMetadataMap[OnnxMetadataKeys.Task]);
        Assert.Equal("standard", metadata.CustomMetadataMap[OnnxMetadataKeys.Normalization]);
        Assert.Equal(model.ClassNames, JsonSerializer.Deserialize<string[]>(metadata.CustomMetadataMap[OnnxMetadataKeys.ClassLabels]));
        Assert.Contains("Äpfel", metadata.CustomMetadataMap[OnnxMetadataKeys.ClassLabels], StringComparison.Ordinal);
    }

    [Fact]
    public void A_regression_model_has_no_class_labels()
    {
        TrainedModel model = RandomModel(ActivationKind.Identity, NormalizationKind.None, new Random(5));

        using var session = new InferenceSession(OnnxExporter.Export(model, "prices", 1));

        Assert.Equal("regression", session.ModelMetadata.CustomMetadataMap[OnnxMetadataKeys.Task]);
        Assert.False(session.ModelMetadata.CustomMetadataMap.ContainsKey(OnnxMetadataKeys.ClassLabels));
    }

    /// <summary>
    /// Three layers of <paramref name="activation"/> (softmax: a tanh layer, then softmax, its only place), weights and
    /// biases uniform in [−1, 1], and a normalizer fitted on raw rows; a classifier when the output is softmax.
    /// </summary>
    private static TrainedModel RandomModel(ActivationKind activation, NormalizationKind normalization, Random random)
    {
        LayerSpec[] layers = activation == ActivationKind.Softmax
            ? [new(7, ActivationKind.Tanh), new(3, ActivationKind.Softmax)]
            : [new(7, activation), new(6, activation), new(3, activation)];
        var network = new Network<float>(Features, layers);
        for (int i = 0; i < network.ParameterCount; i++) network.Parameters[i] = (float)(2 * random.NextDouble() - 1);

        const int trainingRows = 200;
        var training = new Dataset("training", TaskKind.Regression, Features, 1, RawRows(random, trainingRows, normalization), new float[trainingRows]);
        Normalizer normalizer = Normalizer.Fit(normalization, training);
        return activation == ActivationKind.Softmax
            ? new TrainedModel(network, normalizer, TaskKind.Classification, ["setosa", "versi \"color\"", "Äpfel"], CostKind.CrossEntropy, null)
            : new TrainedModel(network, normalizer, TaskKind.Regression, null, CostKind.Quadratic, null);
    }

    /// <summary>
    /// Raw rows as a model meets them: with a normalization, feature j is centred on 10·j − 20 with a spread of 0.5 + j
    /// (far from what the network expects until normalized); without one, features are already in [−2, 2].
    /// </summary>
    private static float[] RawRows(Random random, int rows, NormalizationKind normalization)
    {
        var values = new float[rows * Features];
        for (int row = 0; row < rows; row++)
        {
            for (int j = 0; j < Features; j++)
            {
                double unit = 2 * random.NextDouble() - 1;
                values[row * Features + j] = normalization == NormalizationKind.None ? (float)(2 * unit) : (float)(10 * j - 20 + (0.5 + j) * 2 * unit);
            }
        }
        return values;
    }

    internal static float[] RunOnnx(byte[] onnx, float[] rows, int rowCount, int features)
    {
        using var session = new InferenceSession(onnx);
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(rows, [rowCount, features]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, ["input"], [input], ["output"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float[] Ones(int count)
    {
        var ones = new float[count];
        Array.Fill(ones, 1f);
        return ones;
    }
}
