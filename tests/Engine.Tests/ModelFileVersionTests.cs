using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Serialization;

namespace BackpropService.Engine.Tests;

/// <summary>
/// Model file version 2 (input shape, typed layers) beside version 1: old files still load, and the shape of a
/// convolutional network is read from the first bytes alone so that a file claiming absurd sizes is refused early.
/// </summary>
public class ModelFileVersionTests
{
    [Fact]
    public void A_version_1_file_written_before_convolutions_still_loads_as_a_flat_dense_network_with_the_same_outputs()
    {
        // Written by the engine of model file version 1 (a moons classifier: 2 → tanh 4 → softmax 2, standardized).
        byte[] file = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestFiles", "moons-format-1.bpmodel"));
        Assert.Equal(1, BitConverter.ToInt32(file, 8));

        TrainedModel model = TrainedModel.FromBytes(file);

        Assert.Equal([LayerSpec.Dense(4, ActivationKind.Tanh), LayerSpec.Dense(2, ActivationKind.Softmax)], model.Layers);
        Assert.Null(model.Shape.InputShape);
        Assert.Equal(2, model.Inputs);
        Assert.Equal(["upper", "lower"], model.ClassNames);
        Assert.Equal(model.Layers, model.Options!.Layers);
        float[] outputs = new float[2];
        model.Predict([0.3f, -0.2f], outputs);
        // The outputs the version 1 engine gave for this input, bit for bit.
        Assert.Equal([0x3EA34484, 0x3F2E5DBD], outputs.Select(BitConverter.SingleToInt32Bits));

        // Saved again, it is a version 2 file that reads back the same.
        byte[] again = model.ToBytes();
        Assert.Equal(TrainedModel.FileVersion, BitConverter.ToInt32(again, 8));
        Assert.Equal(model.Network.Parameters, TrainedModel.FromBytes(again).Network.Parameters);
    }

    [Fact]
    public void A_convolutional_model_round_trips_exactly_with_its_input_shape_and_layers()
    {
        var shape = new NetworkShape(2 * 9 * 9,
        [
            LayerSpec.Conv2d(3, 3, ActivationKind.Relu, stride: 2, padding: 1),
            LayerSpec.MaxPool(2),
            LayerSpec.Dropout(0.25),
            LayerSpec.Dense(4, ActivationKind.Softmax),
        ]) { InputShape = new TensorShape(2, 9, 9) };
        var network = new Network<float>(shape);
        var random = new Random(5);
        for (int i = 0; i < network.Parameters.Length; i++) network.Parameters[i] = (float)(random.NextDouble() - 0.5);
        var model = new TrainedModel(network, Normalizer.Fit(NormalizationKind.None, new Dataset("d", TaskKind.Regression, 162, 4, new float[162], new float[4])),
            TaskKind.Regression, null, CostKind.Quadratic, null);

        byte[] file = model.ToBytes();
        TrainedModel loaded = TrainedModel.FromBytes(file);

        Assert.Equal(shape.InputShape, loaded.Shape.InputShape);
        Assert.Equal(shape.Layers, loaded.Layers);
        Assert.Equal(network.Parameters, loaded.Network.Parameters);
        Assert.Equal(file, loaded.ToBytes());
        float[] input = Enumerable.Range(0, 162).Select(i => (float)Math.Sin(i)).ToArray();
        float[] expected = new float[4], actual = new float[4];
        model.Predict(input, expected);
        loaded.Predict(input, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_shape_of_a_convolutional_network_is_read_from_the_first_bytes_with_every_layer_setting()
    {
        LayerSpec[] layers =
        [
            LayerSpec.Conv2d(3, 3, ActivationKind.Relu, stride: 2, padding: 1),
            LayerSpec.MaxPool(2),
            LayerSpec.Dropout(0.25),
            LayerSpec.Dense(4, ActivationKind.Softmax),
        ];
        byte[] file = FileClaiming(new TensorShape(2, 9, 9), layers);

        var (shape, fileLength) = TrainedModel.ReadShape(file.AsSpan(0, Math.Min(file.Length, TrainedModel.ShapeBytes)));

        Assert.Equal(file.Length, fileLength);
        Assert.Equal(162, shape.Inputs);
        Assert.Equal(new TensorShape(2, 9, 9), shape.InputShape);
        Assert.Equal(layers, shape.Layers);
        Assert.Empty(shape.Check(NetworkLimits.Engine));
    }

    [Fact]
    public void A_file_claiming_absurd_convolution_sizes_is_refused_from_its_shape_before_its_weights_are_read()
    {
        // 10⁹ filters of 10⁶ × 10⁶: the first bytes say so, and the shape's own rules refuse it.
        byte[] file = FileClaiming(new TensorShape(1, 28, 28), [LayerSpec.Conv2d(1_000_000_000, 1_000_000, ActivationKind.Relu), LayerSpec.Dense(10, ActivationKind.Softmax)]);

        var (shape, _) = TrainedModel.ReadShape(file.AsSpan(0, Math.Min(file.Length, TrainedModel.ShapeBytes)));
        var violations = shape.Check(NetworkLimits.Engine);
        Assert.Contains(violations, v => v.Field == "layers[0].filters");

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => TrainedModel.FromBytes(file));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
        Assert.Contains("layers[0].filters", error.Message);
    }

    [Fact]
    public void A_file_whose_input_shape_does_not_hold_its_inputs_is_refused()
    {
        byte[] file = FileClaiming(new TensorShape(1, 28, 28), [LayerSpec.Dense(10, ActivationKind.Softmax)], inputs: 100);

        var error = Assert.Throws<DataFormatException>(() => TrainedModel.FromBytes(file));

        Assert.Contains("1x28x28 does not hold the input's 100 values", error.Message);
    }

    /// <summary>A version 2 file that claims this network, with no weights after it.</summary>
    private static byte[] FileClaiming(TensorShape input, IReadOnlyList<LayerSpec> layers, int? inputs = null)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            BinaryFields.WriteEnum(writer, TaskKind.Regression);
            writer.Write(inputs ?? (int)input.Length);
            BinaryFields.WriteInputShape(writer, input);
            BinaryFields.WriteLayers(writer, layers);
            BinaryFields.WriteEnum(writer, CostKind.Quadratic);
            writer.Write(-1);                                                        // no class names
            Normalizer.Fit(NormalizationKind.None, SyntheticDatasets.Create("sine", 10, seed: 1)).WriteTo(writer);
            writer.Write(false);                                                     // no options
            writer.Write(0);                                                         // and no weights
        }
        return BinaryEnvelope.Wrap(TrainedModel.FileMagic, TrainedModel.FileVersion, payload.ToArray());
    }
}
