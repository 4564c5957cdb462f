using System.Text;
using BackpropService.Engine.Data;
using BackpropService.Engine.Serialization;

namespace BackpropService.Engine.Tests.Data;

/// <summary>
/// A dataset's shape (channels × height × width): read from IDX headers, given for a CSV, written as users write it,
/// and kept through splitting, normalizing and storing.
/// </summary>
public class DatasetShapeTests
{
    [Fact]
    public void Mnist_images_have_the_shape_one_by_28_by_28()
    {
        using var imagesFile = File.OpenRead(TestData.MnistFile("test-images-idx3-ubyte.gz"));
        using var labelsFile = File.OpenRead(TestData.MnistFile("test-labels-idx1-ubyte.gz"));

        Dataset data = IdxReader.Read("mnist-test", imagesFile, labelsFile);

        Assert.Equal(new TensorShape(1, 28, 28), data.Shape);
    }

    [Fact]
    public void Idx_images_of_other_sizes_take_their_rows_and_columns_from_the_header()
    {
        byte[] images = IdxReaderTests.ImagesFile(count: 2, rows: 2, columns: 3, pixels: new byte[12]);

        Dataset data = IdxReader.Read("small", new MemoryStream(images), new MemoryStream(IdxReaderTests.LabelsFile([0, 1])));

        Assert.Equal(new TensorShape(1, 2, 3), data.Shape);
        Assert.Equal(6, data.Features);
    }

    [Theory]
    [InlineData("1,8,8", 1, 8, 8)]
    [InlineData("1x8x8", 1, 8, 8)]
    [InlineData("3X4x5", 3, 4, 5)]
    [InlineData(" 1 × 28 × 28 ", 1, 28, 28)]
    [InlineData("[1, 28, 28]", 1, 28, 28)]
    [InlineData("2, 1, 1", 2, 1, 1)]
    public void A_shape_is_read_with_commas_or_x_between_the_numbers(string text, int channels, int height, int width)
    {
        Assert.True(TensorShape.TryParse(text, out var shape, out string? reason), reason);

        Assert.Equal(new TensorShape(channels, height, width), shape);
        Assert.Null(reason);
    }

    [Theory]
    [InlineData("", "not a shape")]
    [InlineData("1,8", "has 2 numbers")]
    [InlineData("64", "has 1 number;")]
    [InlineData("1,2,4,8", "more than three numbers")]
    [InlineData("0,8,8", "at least 1")]
    [InlineData("1,-8,8", "at least 1")]
    [InlineData("one,8,8", "'one' in 'one,8,8' is not a whole number")]
    [InlineData("1.5,8,8", "not a whole number")]
    [InlineData("1,,8", "not a shape")]
    [InlineData("1,99999999999,8", "'99999999999' in '1,99999999999,8' is too large")]
    [InlineData("1,99999999999999999999999999999999,8", "too large")]
    public void A_text_that_is_not_three_positive_whole_numbers_is_refused_with_the_reason(string text, string expected)
    {
        Assert.False(TensorShape.TryParse(text, out _, out string? reason));

        Assert.Contains(expected, reason);
    }

    [Fact]
    public void Written_as_users_write_it_a_shape_reads_back_the_same()
    {
        var shape = new TensorShape(3, 32, 24);

        Assert.True(TensorShape.TryParse(shape.ToString(), out var read, out _));
        Assert.Equal(shape, read);
    }

    [Fact]
    public void A_csv_read_with_a_shape_has_that_shape_and_the_same_numbers()
    {
        string csv = Csv(rows: 3, features: 4);

        Dataset flat = ReadCsv(csv, shape: null);
        Dataset shaped = ReadCsv(csv, new TensorShape(1, 2, 2));

        Assert.Null(flat.Shape);
        Assert.Equal(new TensorShape(1, 2, 2), shaped.Shape);
        Assert.Equal(flat.Inputs, shaped.Inputs);
        Assert.Equal(flat.Labels, shaped.Labels);
    }

    [Fact]
    public void A_regression_csv_keeps_its_shape_too()
    {
        Dataset data = ReadCsv("a,b,c,d,y\n1,2,3,4,0.5\n5,6,7,8,1.5\n", new TensorShape(1, 1, 4), TaskKind.Regression);

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal(new TensorShape(1, 1, 4), data.Shape);
    }

    [Theory]
    [InlineData(1, 8, 9, "The shape 1x8x9 holds 72 values; the file has 64 feature columns")]
    [InlineData(1, 100_000, 100_000, "The shape 1x100000x100000 holds 10,000,000,000 values; the file has 64 feature columns")]
    public void A_csv_shape_that_does_not_hold_the_feature_columns_is_refused_naming_the_shape(int channels, int height, int width, string expected)
    {
        var error = Assert.Throws<DataFormatException>(() => ReadCsv(Csv(rows: 2, features: 64), new TensorShape(channels, height, width)));

        Assert.Equal("shape", error.Field);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_csv_shape_is_checked_on_the_first_row_before_the_rest_of_the_file_is_read()
    {
        // Line 3 is malformed: were the rows read first, the answer would be about the file, not the shape.
        string csv = "a,b,c,d,label\n1,2,3,4,x\n1,2,not a number,4,y\n";

        var error = Assert.Throws<DataFormatException>(() => ReadCsv(csv, new TensorShape(1, 3, 3)));

        Assert.Equal("shape", error.Field);
    }

    [Fact]
    public void A_shape_that_does_not_hold_the_features_or_has_a_size_below_one_cannot_be_given_to_a_dataset()
    {
        Assert.Throws<ArgumentException>(() => new Dataset("d", TaskKind.Regression, 4, 1, new float[8], new float[2]) { Shape = new TensorShape(1, 2, 3) });
        // (−1) · (−1) · 4 is 4 values, but no image has −1 rows.
        Assert.Throws<ArgumentException>(() => new Dataset("d", TaskKind.Regression, 4, 1, new float[8], new float[2]) { Shape = new TensorShape(-1, -1, 4) });
    }

    [Fact]
    public void Splitting_and_normalizing_keep_the_shape()
    {
        Dataset data = ReadCsv(Csv(rows: 20, features: 4), new TensorShape(1, 2, 2));

        var (train, validation) = DatasetSplit.Split(data, 0.25, seed: 1);
        Dataset normalized = Normalizer.Fit(NormalizationKind.Standard, train).Apply(validation!);

        Assert.Equal(new TensorShape(1, 2, 2), train.Shape);
        Assert.Equal(new TensorShape(1, 2, 2), validation!.Shape);
        Assert.Equal(new TensorShape(1, 2, 2), normalized.Shape);
        Assert.Equal(new TensorShape(1, 2, 2), data.Subset([3, 1]).Shape);
        Assert.Equal(new TensorShape(1, 2, 2), DataShape.Of(data).Shape);
    }

    [Fact]
    public void A_stored_dataset_comes_back_with_its_shape()
    {
        Dataset data = ReadCsv(Csv(rows: 5, features: 6), new TensorShape(2, 1, 3));

        Dataset read = DatasetSerializer.FromBytes(DatasetSerializer.ToBytes(data));

        Assert.Equal(new TensorShape(2, 1, 3), read.Shape);
        Assert.Equal(data.Inputs, read.Inputs);
    }

    [Fact]
    public void A_flat_stored_dataset_comes_back_flat()
    {
        Dataset data = SyntheticDatasets.Create("blobs", samples: 30, seed: 2);

        Assert.Null(DatasetSerializer.FromBytes(DatasetSerializer.ToBytes(data)).Shape);
    }

    [Fact]
    public void A_dataset_stored_before_shapes_existed_reads_as_flat()
    {
        Dataset data = SyntheticDatasets.Create("blobs", samples: 30, seed: 2);
        // Version 1 ended after the labels; version 2 adds one byte (no shape) there for a flat dataset.
        (byte[] payload, int version) = BinaryEnvelope.Unwrap(DatasetSerializer.ToBytes(data), DatasetSerializer.FileMagic, 2, "stored dataset");
        Assert.Equal(2, version);
        byte[] versionOne = BinaryEnvelope.Wrap(DatasetSerializer.FileMagic, 1, payload.AsSpan(0, payload.Length - 1));

        Dataset read = DatasetSerializer.FromBytes(versionOne);

        Assert.Null(read.Shape);
        Assert.Equal(data.Inputs, read.Inputs);
        Assert.Equal(data.Labels, read.Labels);
    }

    [Fact]
    public void A_stored_shape_that_does_not_hold_the_features_is_refused_as_damaged()
    {
        Dataset data = ReadCsv(Csv(rows: 5, features: 6), new TensorShape(2, 1, 3));
        (byte[] payload, _) = BinaryEnvelope.Unwrap(DatasetSerializer.ToBytes(data), DatasetSerializer.FileMagic, 2, "stored dataset");
        // The width is the payload's last int32: 3 becomes 4 (2 x 1 x 4 is 8 values for 6 features).
        payload[^4] = 4;

        var error = Assert.Throws<DataFormatException>(() => DatasetSerializer.FromBytes(BinaryEnvelope.Wrap(DatasetSerializer.FileMagic, 2, payload)));
        Assert.Contains("shape", error.Message);
    }

    private static Dataset ReadCsv(string csv, TensorShape? shape, TaskKind? task = null) =>
        CsvReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new CsvReadOptions { Name = "test", Shape = shape, Task = task });

    /// <summary>A header and <paramref name="rows"/> rows of <paramref name="features"/> numbers and a class label (a or b).</summary>
    private static string Csv(int rows, int features)
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(",", Enumerable.Range(0, features).Select(f => $"x{f}").Append("label")));
        for (int r = 0; r < rows; r++)
            csv.AppendLine(string.Join(",", Enumerable.Range(0, features).Select(f => (r * features + f).ToString()).Append(r % 2 == 0 ? "a" : "b")));
        return csv.ToString();
    }
}
