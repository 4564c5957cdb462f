using BackpropService.Engine.Data;

namespace BackpropService.Engine.Tests.Data;

public class NormalizerTests
{
    /// <summary>Three samples: feature 0 is 1, 2, 3; feature 1 is constant 5; feature 2 is −4, 0, 4.</summary>
    private static Dataset Small() => new("small", TaskKind.Regression, features: 3, outputs: 1,
        inputs: [1, 5, -4, 2, 5, 0, 3, 5, 4], targets: [0, 1, 2]);

    [Fact]
    public void MinMax_maps_each_training_feature_onto_zero_to_one_and_a_constant_one_to_zero()
    {
        Normalizer normalizer = Normalizer.Fit(NormalizationKind.MinMax, Small());

        Assert.Equal([1f, 5f, -4f], normalizer.Offset);
        Assert.Equal([0.5f, 1f, 0.125f], normalizer.Scale);
        Dataset normalized = normalizer.Apply(Small());
        Assert.Equal([0f, 0f, 0f, 0.5f, 0f, 0.5f, 1f, 0f, 1f], normalized.Inputs);
    }

    [Fact]
    public void Standard_gives_zero_mean_and_unit_variance_and_leaves_a_constant_feature_finite()
    {
        Normalizer normalizer = Normalizer.Fit(NormalizationKind.Standard, Small());

        Assert.Equal([2f, 5f, 0f], normalizer.Offset);
        // Population standard deviations: sqrt(2/3) and sqrt(32/3); the constant feature keeps scale 1.
        Assert.Equal(1 / Math.Sqrt(2.0 / 3), normalizer.Scale[0], 5);
        Assert.Equal(1f, normalizer.Scale[1]);
        Assert.Equal(1 / Math.Sqrt(32.0 / 3), normalizer.Scale[2], 5);

        float[] normalized = normalizer.Apply(Small()).Inputs;
        for (int feature = 0; feature < 3; feature++)
        {
            double[] column = [normalized[feature], normalized[3 + feature], normalized[6 + feature]];
            double mean = column.Average();
            double variance = column.Average(x => (x - mean) * (x - mean));
            Assert.Equal(0, mean, 5);
            Assert.Equal(feature == 1 ? 0 : 1, variance, 5);
        }
    }

    [Fact]
    public void A_nearly_constant_float_column_does_not_blow_up()
    {
        var data = new Dataset("tiny", TaskKind.Regression, 1, 1, [0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f], new float[7]);

        Normalizer normalizer = Normalizer.Fit(NormalizationKind.Standard, data);

        Assert.All(normalizer.Apply(data).Inputs, x => Assert.Equal(0f, x));
    }

    [Fact]
    public void None_is_the_identity()
    {
        Normalizer normalizer = Normalizer.Fit(NormalizationKind.None, Small());

        Assert.Equal(Small().Inputs, normalizer.Apply(Small()).Inputs);
    }

    [Fact]
    public void Applying_to_a_span_normalizes_every_row_in_place()
    {
        Normalizer normalizer = Normalizer.Fit(NormalizationKind.MinMax, Small());
        float[] rows = [3, 7, 8, 1, 5, -4];

        normalizer.Apply(rows);

        Assert.Equal([1f, 2f, 1.5f, 0f, 0f, 0f], rows);
    }

    [Fact]
    public void Applying_to_a_partial_row_is_rejected()
    {
        Normalizer normalizer = Normalizer.Fit(NormalizationKind.MinMax, Small());

        Assert.Throws<ArgumentException>(() => normalizer.Apply(new float[4].AsSpan()));
    }

    [Fact]
    public void The_dataset_it_returns_is_a_copy_that_keeps_targets_and_classes()
    {
        Dataset blobs = SyntheticDatasets.Blobs(30, seed: 1);
        float[] before = [.. blobs.Inputs];

        Dataset normalized = Normalizer.Fit(NormalizationKind.Standard, blobs).Apply(blobs);

        Assert.Equal(before, blobs.Inputs);
        Assert.NotEqual(blobs.Inputs, normalized.Inputs);
        Assert.Equal(blobs.Labels, normalized.Labels);
        Assert.Equal(blobs.ClassNames, normalized.ClassNames);
    }

    [Theory]
    [InlineData(NormalizationKind.None)]
    [InlineData(NormalizationKind.MinMax)]
    [InlineData(NormalizationKind.Standard)]
    public void It_survives_a_round_trip_through_the_model_file(NormalizationKind kind)
    {
        Normalizer original = Normalizer.Fit(kind, Small());
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            original.WriteTo(writer);
        stream.Position = 0;

        Normalizer read = Normalizer.ReadFrom(new BinaryReader(stream));

        Assert.Equal(kind, read.Kind);
        Assert.Equal(original.Offset, read.Offset);
        Assert.Equal(original.Scale, read.Scale);
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Garbage_in_the_model_file_is_a_data_format_error()
    {
        byte[] written = Written(Normalizer.Fit(NormalizationKind.Standard, Small()));

        Assert.Contains("version", ReadFails([.. written.Select(b => (byte)0xFF)]).Message);
        Assert.Contains("ends", ReadFails(written[..^3]).Message);
        Assert.Contains("ends", ReadFails([]).Message);

        byte[] badKind = [.. written];
        badKind[4] = 9;
        Assert.Contains("kind", ReadFails(badKind).Message);

        byte[] hugeCount = [.. written];
        BitConverter.TryWriteBytes(hugeCount.AsSpan(8), int.MaxValue);
        Assert.Contains("feature count", ReadFails(hugeCount).Message);

        byte[] zeroScale = [.. written];
        BitConverter.TryWriteBytes(zeroScale.AsSpan(12 + 3 * 4), 0f);
        Assert.Contains("scale", ReadFails(zeroScale).Message);
    }

    private static byte[] Written(Normalizer normalizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
            normalizer.WriteTo(writer);
        return stream.ToArray();
    }

    private static DataFormatException ReadFails(byte[] bytes) =>
        Assert.Throws<DataFormatException>(() => Normalizer.ReadFrom(new BinaryReader(new MemoryStream(bytes))));
}
