using System.Text;
using BackpropService.Engine.Data;
using BackpropService.Engine.Serialization;

namespace BackpropService.Engine.Tests;

/// <summary>Stored datasets come back whole, old records still read, and damaged ones are refused cleanly.</summary>
public class DatasetSerializerTests
{
    [Theory]
    [InlineData("blobs")]
    [InlineData("sine")]
    public void A_dataset_comes_back_exactly_as_stored(string name)
    {
        Dataset dataset = SyntheticDatasets.Create(name, samples: 60, seed: 3);

        AssertSame(dataset, DatasetSerializer.FromBytes(DatasetSerializer.ToBytes(dataset)));
    }

    [Fact]
    public void A_dataset_stored_in_the_format_before_the_envelope_is_still_read()
    {
        Dataset dataset = SyntheticDatasets.Create("blobs", samples: 60, seed: 3);

        AssertSame(dataset, DatasetSerializer.FromBytes(LegacyBytes(dataset)));
    }

    [Fact]
    public void A_flipped_byte_is_refused_as_corrupt()
    {
        byte[] stored = DatasetSerializer.ToBytes(SyntheticDatasets.Create("blobs", samples: 60, seed: 3));
        stored[stored.Length / 2] ^= 0x01;

        var error = Assert.Throws<DataFormatException>(() => DatasetSerializer.FromBytes(stored));
        Assert.Contains("corrupt", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(-10)]
    public void A_truncated_record_is_refused_as_truncated(int keep)
    {
        byte[] stored = DatasetSerializer.ToBytes(SyntheticDatasets.Create("blobs", samples: 60, seed: 3));
        byte[] truncated = stored[..(keep > 0 ? keep : stored.Length + keep)];

        var error = Assert.Throws<DataFormatException>(() => DatasetSerializer.FromBytes(truncated));
        Assert.True(error.Message.Contains("truncated", StringComparison.Ordinal) || error.Message.Contains("not a BackpropService", StringComparison.Ordinal), error.Message);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(200)]
    [InlineData(-1)]
    public void A_truncated_old_record_is_refused_as_damaged(int cut)
    {
        byte[] stored = LegacyBytes(SyntheticDatasets.Create("blobs", samples: 60, seed: 3));
        byte[] truncated = stored[..(cut > 0 ? stored.Length - cut : stored.Length + cut)];

        var error = Assert.Throws<DataFormatException>(() => DatasetSerializer.FromBytes(truncated));
        Assert.Contains("damaged", error.Message);
    }

    [Fact]
    public void An_old_record_claiming_a_huge_sample_count_is_refused_before_anything_that_big_is_allocated()
    {
        var dataset = SyntheticDatasets.Create("blobs", samples: 60, seed: 3);
        byte[] stored = LegacyBytes(dataset, claimedSamples: int.MaxValue);

        var error = Assert.Throws<DataFormatException>(() => DatasetSerializer.FromBytes(stored));
        Assert.Contains("more than the record holds", error.Message);
    }

    [Fact]
    public void A_label_outside_the_classes_is_refused()
    {
        var dataset = SyntheticDatasets.Create("blobs", samples: 60, seed: 3);
        int[] labels = [.. dataset.Labels!];
        labels[7] = dataset.Outputs;
        // A well-formed envelope around an inconsistent payload: the envelope's checksum cannot catch this.
        byte[] stored = DatasetSerializer.ToBytes(new Dataset(dataset.Name, dataset.Task, dataset.Features, dataset.Outputs,
            dataset.Inputs, dataset.Targets, labels, dataset.ClassNames));

        var error = Assert.Throws<DataFormatException>(() => DatasetSerializer.FromBytes(stored));
        Assert.Contains("label", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"name\":\"not a dataset\"}")]
    public void A_foreign_record_is_refused(string content)
    {
        var error = Assert.Throws<DataFormatException>(() => DatasetSerializer.FromBytes(Encoding.UTF8.GetBytes(content)));
        Assert.Contains("not a BackpropService stored dataset", error.Message);
    }

    private static void AssertSame(Dataset expected, Dataset actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Task, actual.Task);
        Assert.Equal(expected.Features, actual.Features);
        Assert.Equal(expected.Outputs, actual.Outputs);
        Assert.Equal(expected.Inputs, actual.Inputs);
        Assert.Equal(expected.Targets, actual.Targets);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.ClassNames, actual.ClassNames);
    }

    /// <summary>The record as the service wrote it before the envelope: "BPDS", version 1, the fields, raw arrays.</summary>
    private static byte[] LegacyBytes(Dataset dataset, int? claimedSamples = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(0x53445042);
            writer.Write(1);
            writer.Write(dataset.Name);
            writer.Write((int)dataset.Task);
            writer.Write(dataset.Features);
            writer.Write(dataset.Outputs);
            writer.Write(claimedSamples ?? dataset.Samples);
            var classes = dataset.ClassNames ?? [];
            writer.Write(classes.Count);
            foreach (string name in classes) writer.Write(name);
            foreach (float value in dataset.Inputs) writer.Write(value);
            foreach (float value in dataset.Targets) writer.Write(value);
            writer.Write(dataset.Labels is not null);
            foreach (int label in dataset.Labels ?? []) writer.Write(label);
        }
        return stream.ToArray();
    }
}
