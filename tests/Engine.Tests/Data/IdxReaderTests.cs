using System.Buffers.Binary;
using System.IO.Compression;
using BackpropService.Engine.Data;

namespace BackpropService.Engine.Tests.Data;

public class IdxReaderTests
{
    [Theory]
    [InlineData("train", 8000)]
    [InlineData("test", 2000)]
    public void Reads_the_mnist_subset_as_28_by_28_images_with_digit_labels(string part, int expectedCount)
    {
        using var imagesFile = File.OpenRead(TestData.MnistFile($"{part}-images-idx3-ubyte.gz"));
        using var labelsFile = File.OpenRead(TestData.MnistFile($"{part}-labels-idx1-ubyte.gz"));

        IdxImages images = IdxReader.ReadImages(imagesFile);
        byte[] labels = IdxReader.ReadLabels(labelsFile);

        Assert.Equal(expectedCount, images.Count);
        Assert.Equal(28, images.Rows);
        Assert.Equal(28, images.Columns);
        Assert.Equal(expectedCount * 784, images.Pixels.Length);
        Assert.Equal(expectedCount, labels.Length);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => (byte)d), labels.Distinct().Order());
        Assert.Contains(images.Pixels, p => p == 255);
    }

    [Fact]
    public void Mnist_becomes_a_ten_class_dataset_with_pixels_scaled_to_the_unit_interval()
    {
        using var imagesFile = File.OpenRead(TestData.MnistFile("test-images-idx3-ubyte.gz"));
        using var labelsFile = File.OpenRead(TestData.MnistFile("test-labels-idx1-ubyte.gz"));

        Dataset data = IdxReader.Read("mnist-test", imagesFile, labelsFile);

        Assert.Equal(2000, data.Samples);
        Assert.Equal(784, data.Features);
        Assert.Equal(10, data.Outputs);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], data.ClassNames);
        Assert.All(data.Inputs, x => Assert.InRange(x, 0f, 1f));
        Assert.Equal(1f, data.Inputs.Max());
        Assert.Equal(1f, data.Target(0)[data.Labels![0]]);
    }

    [Fact]
    public void Raw_and_gzip_files_give_the_same_images_whatever_the_stream()
    {
        byte[] raw = ImagesFile(count: 3, rows: 2, columns: 2, pixels: [.. Enumerable.Range(0, 12).Select(i => (byte)(i * 20))]);

        IdxImages fromRaw = IdxReader.ReadImages(new MemoryStream(raw));
        IdxImages fromGzip = IdxReader.ReadImages(new MemoryStream(Gzip(raw)));

        Assert.Equal((3, 2, 2), (fromRaw.Count, fromRaw.Rows, fromRaw.Columns));
        Assert.Equal(fromRaw.Pixels, fromGzip.Pixels);
        Assert.Equal(new byte[] { 80, 100, 120, 140 }, fromRaw.Image(1).ToArray());
    }

    [Fact]
    public void A_labels_file_given_as_images_is_rejected_for_its_magic_number()
    {
        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(new MemoryStream(LabelsFile([1, 2, 3]))));

        Assert.Contains("magic", ex.Message);
        Assert.Contains("0x00000801", ex.Message);
        Assert.Contains("0x00000803", ex.Message);
        Assert.Contains("labels file", ex.Message);
    }

    [Fact]
    public void A_file_that_is_not_idx_at_all_is_rejected_for_its_magic_number()
    {
        byte[] text = "label,x\n1,2\n3,4\n"u8.ToArray();

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(new MemoryStream(text)));

        Assert.Contains("magic", ex.Message);
        Assert.Contains("not an IDX file", ex.Message);
    }

    [Fact]
    public void A_data_type_other_than_unsigned_byte_is_rejected()
    {
        byte[] file = LabelsFile([1, 2]);
        file[2] = 0x0D; // float

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(new MemoryStream(file)));

        Assert.Contains("data type", ex.Message);
        Assert.Contains("0x0d", ex.Message);
    }

    [Fact]
    public void A_truncated_images_file_reports_expected_and_actual_bytes()
    {
        byte[] whole = ImagesFile(count: 2, rows: 3, columns: 3, pixels: new byte[18]);
        byte[] truncated = whole[..^5];

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(new MemoryStream(truncated)));

        Assert.Contains("truncated", ex.Message);
        Assert.Contains("18 data bytes", ex.Message);
        Assert.Contains("13 data bytes", ex.Message);
    }

    [Fact]
    public void A_file_cut_inside_its_header_is_rejected()
    {
        byte[] cut = LabelsFile([1, 2])[..6];

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(new MemoryStream(cut)));

        Assert.Contains("header", ex.Message);
        Assert.Contains("expected 8", ex.Message);
    }

    [Fact]
    public void Bytes_after_the_announced_data_are_rejected()
    {
        byte[] file = [.. LabelsFile([1, 2, 3]), 9, 9];

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(new MemoryStream(file)));

        Assert.Contains("2 unexpected bytes", ex.Message);
    }

    [Fact]
    public void An_empty_file_is_rejected()
    {
        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(new MemoryStream()));

        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void An_absurd_header_is_rejected_before_anything_is_allocated()
    {
        byte[] header = ImagesFile(count: 1, rows: 1, columns: 1, pixels: [0])[..16];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 100_000);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 100_000);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 100_000);

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(new MemoryStream(header)));

        Assert.Contains("limit", ex.Message);
    }

    [Fact]
    public void A_large_header_over_a_short_file_reports_truncation_rather_than_running_out_of_memory()
    {
        byte[] header = ImagesFile(count: 1, rows: 1, columns: 1, pixels: [0])[..16];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 1_000_000);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 28);

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(new MemoryStream(header)));

        Assert.Contains("truncated", ex.Message);
        Assert.Contains("784000000", ex.Message);
    }

    [Fact]
    public void A_zero_dimension_is_rejected_with_the_field_and_offset()
    {
        byte[] file = ImagesFile(count: 1, rows: 1, columns: 1, pixels: [0]);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(8), 0);

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(new MemoryStream(file)));

        Assert.Contains("row count", ex.Message);
        Assert.Contains("offset 8", ex.Message);
    }

    [Fact]
    public void A_gzip_file_with_a_damaged_header_is_reported_as_broken_gzip()
    {
        byte[] gzip = Gzip(LabelsFile([1, 2, 3, 4]));
        gzip[2] = 0x07; // compression method: only 8 (deflate) exists

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(new MemoryStream(gzip)));

        Assert.Contains("gzip", ex.Message);
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void A_gzip_file_whose_checksum_does_not_match_is_reported_as_broken_gzip()
    {
        byte[] gzip = Gzip(LabelsFile([1, 2, 3, 4]));
        gzip[^8] ^= 0xFF; // the CRC-32 of the uncompressed data, checked at the end of the stream

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(new MemoryStream(gzip)));

        Assert.Contains("gzip", ex.Message);
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void A_gzip_file_with_scrambled_compressed_data_is_a_data_format_error()
    {
        byte[] gzip = Gzip(ImagesFile(count: 50, rows: 8, columns: 8,
            pixels: [.. Enumerable.Range(0, 3200).Select(i => (byte)(i * 7 % 251))]));
        for (int i = 12; i < gzip.Length - 8; i += 3)
            gzip[i] ^= 0x5A;

        // Depending on where decoding breaks this is a gzip error or a nonsense header; never anything else.
        Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(new MemoryStream(gzip)));
    }

    [Fact]
    public void A_gzip_file_cut_short_is_rejected()
    {
        byte[] gzip = Gzip(ImagesFile(count: 50, rows: 8, columns: 8,
            pixels: [.. Enumerable.Range(0, 3200).Select(i => (byte)(i * 7 % 251))]));

        Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(new MemoryStream(gzip[..(gzip.Length / 2)])));
    }

    [Fact]
    public void Images_and_labels_of_different_counts_are_rejected_with_both_counts()
    {
        IdxImages images = IdxReader.ReadImages(new MemoryStream(ImagesFile(count: 3, rows: 1, columns: 2, pixels: new byte[6])));

        var ex = Assert.Throws<DataFormatException>(() => IdxReader.ToDataset("mismatch", images, [1, 2]));

        Assert.Contains("3 images", ex.Message);
        Assert.Contains("2 labels", ex.Message);
    }

    [Fact]
    public void Classes_run_from_zero_to_the_largest_label()
    {
        IdxImages images = IdxReader.ReadImages(new MemoryStream(ImagesFile(count: 3, rows: 1, columns: 1, pixels: [0, 51, 255])));

        Dataset data = IdxReader.ToDataset("small", images, [0, 3, 1]);

        Assert.Equal(["0", "1", "2", "3"], data.ClassNames);
        Assert.Equal([0f, 0.2f, 1f], data.Inputs);
        Assert.Equal([0, 3, 1], data.Labels!);
    }

    [Fact]
    public void The_caller_keeps_ownership_of_the_stream()
    {
        using var stream = new MemoryStream(LabelsFile([4, 5]));

        IdxReader.ReadLabels(stream);

        Assert.True(stream.CanRead);
    }

    internal static byte[] ImagesFile(int count, int rows, int columns, byte[] pixels)
    {
        var file = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(file, IdxReader.ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(12), columns);
        pixels.CopyTo(file, 16);
        return file;
    }

    internal static byte[] LabelsFile(byte[] labels)
    {
        var file = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(file, IdxReader.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), labels.Length);
        labels.CopyTo(file, 8);
        return file;
    }

    internal static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(content);
        return compressed.ToArray();
    }
}
