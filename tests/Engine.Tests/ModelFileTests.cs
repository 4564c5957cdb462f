using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests;

/// <summary>The portable model file: exact round trip, and anything that is not an intact model file is refused.</summary>
public class ModelFileTests
{
    private static TrainedModel TrainSmallModel()
    {
        Dataset moons = SyntheticDatasets.Create("moons", 200, seed: 3);
        Trainer trainer = Trainer.Start(moons, new TrainingOptions
        {
            Layers = [new LayerSpec(8, ActivationKind.Tanh), new LayerSpec(2, ActivationKind.Softmax)],
            Cost = CostKind.CrossEntropy,
            LearningRate = 0.5f,
            Epochs = 3,
            Normalization = NormalizationKind.Standard,
        });
        trainer.Train();
        return trainer.CreateModel();
    }

    [Fact]
    public void Round_trip_is_exact()
    {
        TrainedModel model = TrainSmallModel();
        byte[] file = model.ToBytes();
        TrainedModel loaded = TrainedModel.FromBytes(file);

        Assert.Equal(model.Network.Parameters, loaded.Network.Parameters);
        Assert.Equal(model.Layers, loaded.Layers);
        Assert.Equal(model.ClassNames, loaded.ClassNames);
        Assert.Equal(model.Task, loaded.Task);
        Assert.Equal(model.Cost, loaded.Cost);
        Assert.Equal(model.Normalizer.Offset, loaded.Normalizer.Offset);
        Assert.Equal(model.Normalizer.Scale, loaded.Normalizer.Scale);
        Assert.Equal(model.Options!.Layers, loaded.Options!.Layers);
        Assert.Equal(model.Options with { Layers = [] }, loaded.Options with { Layers = [] });
        Assert.Equal(file, loaded.ToBytes());

        float[] input = [0.3f, -0.2f];
        float[] expected = new float[2], actual = new float[2];
        model.Predict(input, expected);
        loaded.Predict(input, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_shape_is_read_from_the_first_bytes_alone_and_a_start_that_ends_before_it_is_refused()
    {
        // A tall network, so the file is much longer than the bytes its shape needs.
        var network = new Network<float>(30, [new LayerSpec(200, ActivationKind.Relu), new LayerSpec(3, ActivationKind.Identity)]);
        var model = new TrainedModel(network, Normalizer.Fit(NormalizationKind.None, new Dataset("d", TaskKind.Regression, 30, 3, new float[30], new float[3])),
            TaskKind.Regression, null, CostKind.Quadratic, null);
        byte[] file = model.ToBytes();
        Assert.True(file.Length > 4 * TrainedModel.ShapeBytes);

        var (shape, fileLength) = TrainedModel.ReadShape(file.AsSpan(0, TrainedModel.ShapeBytes));

        Assert.Equal(30, shape.Inputs);
        Assert.Equal(model.Layers, shape.Layers);
        Assert.Equal(network.ParameterCount, shape.ParameterCount);
        Assert.Equal(file.Length, fileLength);
        var truncated = Assert.Throws<DataFormatException>(() => TrainedModel.ReadShape(file.AsSpan(0, 30)));
        Assert.Contains("truncated", truncated.Message);
        Assert.Throws<DataFormatException>(() => TrainedModel.ReadShape("not a model file at all, but long enough"u8));
    }

    [Fact]
    public void A_flipped_byte_is_refused_as_corrupt()
    {
        byte[] file = TrainSmallModel().ToBytes();
        file[file.Length / 2] ^= 0x01;
        var error = Assert.Throws<DataFormatException>(() => TrainedModel.FromBytes(file));
        Assert.Contains("corrupt", error.Message);
    }

    [Fact]
    public void A_truncated_file_is_refused_as_truncated()
    {
        byte[] file = TrainSmallModel().ToBytes();
        var error = Assert.Throws<DataFormatException>(() => TrainedModel.FromBytes(file.AsSpan(0, file.Length - 10)));
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"$type\":\"System.Diagnostics.Process\"}")]
    [InlineData("PK\u0003\u0004 a zip file")]
    public void A_foreign_file_is_refused(string content)
    {
        var error = Assert.Throws<DataFormatException>(() => TrainedModel.FromBytes(System.Text.Encoding.UTF8.GetBytes(content)));
        Assert.Contains("not a BackpropService model file", error.Message);
    }

    [Fact]
    public void A_newer_format_version_is_refused_with_the_versions_we_read()
    {
        byte[] file = TrainSmallModel().ToBytes();
        file[8] = 99;
        var error = Assert.Throws<DataFormatException>(() => TrainedModel.FromBytes(file));
        Assert.Contains("version 99", error.Message);
    }

    [Fact]
    public void A_well_formed_envelope_with_nonsense_inside_is_refused()
    {
        byte[] nonsense = Serialization.BinaryEnvelope.Wrap(TrainedModel.FileMagic, TrainedModel.FileVersion, [0, 0, 0, 0, 255, 255, 255, 127]);
        var error = Assert.Throws<DataFormatException>(() => TrainedModel.FromBytes(nonsense));
        Assert.Contains("damaged", error.Message);
    }

    [Fact]
    public void A_file_claiming_a_huge_network_is_refused_before_anything_that_big_is_allocated()
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            Serialization.BinaryFields.WriteEnum(writer, TaskKind.Regression);
            writer.Write(1 << 20);                                                   // inputs
            Serialization.BinaryFields.WriteInputShape(writer, null);               // flat
            Serialization.BinaryFields.WriteLayers(writer, [new LayerSpec(2000, ActivationKind.Relu), new LayerSpec(1, ActivationKind.Identity)]);
            Serialization.BinaryFields.WriteEnum(writer, CostKind.Quadratic);
            writer.Write(-1);                                                        // no class names
            Normalizer.Fit(NormalizationKind.None, SyntheticDatasets.Create("sine", 10, seed: 1)).WriteTo(writer);
            writer.Write(false);                                                     // no options
            writer.Write(0);                                                         // and no weights at all
        }
        byte[] file = Serialization.BinaryEnvelope.Wrap(TrainedModel.FileMagic, TrainedModel.FileVersion, payload.ToArray());

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => TrainedModel.FromBytes(file));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("needs 2097156001 parameters", error.Message);
        Assert.True(allocated < 1_000_000, $"{allocated} bytes allocated while refusing the file");
    }
}
