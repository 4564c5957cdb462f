using System.IO.Compression;
using System.Text;
using BackpropService.Engine.Data;

namespace BackpropService.Engine.Tests.Data;

/// <summary>Small uploads that would expand into huge datasets are refused with a clear error, not an allocation.</summary>
public class InputLimitsTests
{
    private static MemoryStream Gzip(byte[] content)
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(content);
        compressed.Position = 0;
        return compressed;
    }

    [Fact]
    public void A_gzip_csv_that_expands_past_the_limit_is_refused()
    {
        var text = new StringBuilder("x,y\n");
        for (int i = 0; i < 100_000; i++) text.Append("0.5,1\n");
        using MemoryStream compressed = Gzip(Encoding.ASCII.GetBytes(text.ToString()));
        Assert.True(compressed.Length < 10_000, "the test file should be small when compressed");

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(compressed, new CsvReadOptions { MaxBytes = 100_000 }));
        Assert.Contains("larger than the limit of 100,000 bytes", error.Message);
    }

    [Fact]
    public void Idx_images_beyond_the_limit_are_refused_from_their_header()
    {
        var header = new byte[16];
        header[2] = 0x08; header[3] = 0x03;                 // magic 0x00000803
        header[6] = 0x27; header[7] = 0x10;                 // 10,000 images
        header[11] = 28; header[15] = 28;                   // 28 × 28
        using var stream = new MemoryStream(header);
        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(stream, maxBytes: 1_000_000));
        Assert.Contains("more than the limit of 1000000", error.Message);
    }

    [Fact]
    public void A_csv_label_column_with_more_distinct_labels_than_allowed_is_refused_naming_the_column()
    {
        var text = new StringBuilder("x,name\n");
        for (int i = 0; i < 50; i++) text.Append($"{i},label{i}\n");
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(text.ToString()));
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(stream, new CsvReadOptions { MaxClasses = 20 }));
        Assert.Contains("'name'", error.Message);
        Assert.Contains("50 distinct labels", error.Message);
    }
}
