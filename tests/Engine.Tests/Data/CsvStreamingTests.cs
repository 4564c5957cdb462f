using System.Globalization;
using System.IO.Compression;
using System.Text;
using BackpropService.Engine.Data;

namespace BackpropService.Engine.Tests.Data;

/// <summary>
/// The CSV reader holds what its limits allow and no more: values are counted as rows arrive, fields and rows are
/// capped, labels become class indices on the way in; and what it reads is the same as a file read whole.
/// </summary>
public class CsvStreamingTests
{
    private static Dataset Read(string csv, CsvReadOptions options) =>
        CsvReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), options);

    private static DataFormatException ReadFails(string csv, CsvReadOptions options) =>
        Assert.Throws<DataFormatException>(() => Read(csv, options));

    /// <summary>"x,label" and then <paramref name="rows"/> rows of "0,a", compressed while written (the text is never whole in memory).</summary>
    private static byte[] GzipOfTinyRows(long rows)
    {
        const int rowsPerBlock = 100_000;
        byte[] block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0,a\n", rowsPerBlock)));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write("x,label\n"u8);
            for (long written = 0; written < rows; written += rowsPerBlock)
                gzip.Write(block);
        }
        return compressed.ToArray();
    }

    [Fact]
    public void A_small_gzip_that_expands_to_100_million_tiny_rows_is_refused_after_allocating_a_few_megabytes()
    {
        byte[] bomb = GzipOfTinyRows(100_000_000);
        Assert.True(bomb.Length < 4_000_000, $"the gzip should be a few MB, is {bomb.Length:N0} bytes");
        // The service's defaults for the text (500 MB, so all 400 MB of rows would be read) and a 4 MB dataset.
        var options = new CsvReadOptions { MaxBytes = 500_000_000, MaxValues = 1_000_000 };

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(new MemoryStream(bomb), options));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(DataLimit.Values, error.Limit);
        Assert.Equal("file", error.Field);
        Assert.Contains("at most 1,000,000 numbers", error.Message);
        // Refused a third of a million rows in: every row holds a feature, a target and (the label is text, so this is
        // classification) a class index. The reader before streaming allocated 12.7 GB on this file (bench/README.md).
        Assert.Contains("line 333335:", error.Message); // row 333,334 (after the header on line 1) is the first past the limit
        Assert.True(allocated < 16_000_000, $"allocated {allocated:N0} bytes; expected less than 16 MB");
    }

    [Fact]
    public void A_field_longer_than_the_limit_is_refused_naming_its_line_and_column()
    {
        var options = new CsvReadOptions { MaxFieldLength = 100 };
        string atLimit = new('b', 100), pastLimit = new('b', 101);

        Assert.Equal(2, Read($"x,label\n1,a\n2,{atLimit}\n", options).Samples);
        var unquoted = ReadFails($"x,label\n1,a\n2,{pastLimit}\n3,c\n", options);
        var quoted = ReadFails($"x,label\n1,a\n2,\"{pastLimit[..50]}\n{pastLimit[..50]}\"\n", options);

        foreach (var error in new[] { unquoted, quoted })
        {
            Assert.Equal(DataLimit.FieldLength, error.Limit);
            Assert.Equal("file", error.Field);
            Assert.Contains("line 3, column 1", error.Message);
            Assert.Contains("longer than 100 characters", error.Message);
        }
    }

    [Fact]
    public void Spaces_before_an_unquoted_field_do_not_count_towards_the_field_length()
    {
        Dataset data = Read($"x,label\n{new string(' ', 500)}1,a\n2,b\n", new CsvReadOptions { MaxFieldLength = 10 });

        Assert.Equal([1f, 2f], data.Inputs);
    }

    [Fact]
    public void A_row_with_more_columns_than_the_limit_is_refused_naming_its_line()
    {
        var options = new CsvReadOptions { MaxColumns = 5 };

        Assert.Equal(4, Read("a,b,c,d,label\n1,2,3,4,x\n5,6,7,8,y\n", options).Features);
        var inHeader = ReadFails("a,b,c,d,e,label\n1,2,3,4,5,x\n", options);
        var inData = ReadFails("a,b,c,d,label\n1,2,3,4,x\n5,6,7,8,9,10,y\n", options);

        Assert.Equal(DataLimit.Columns, inHeader.Limit);
        Assert.Contains("line 1", inHeader.Message);
        Assert.Equal(DataLimit.Columns, inData.Limit);
        Assert.Contains("line 3", inData.Message);
        Assert.Contains("more than 5 columns", inData.Message);
    }

    [Fact]
    public void One_hot_targets_count_towards_the_value_limit_before_they_are_allocated()
    {
        // 100 rows of 1 feature and 10 integer classes: 100 × (1 feature + 10 targets + 1 class index) = 1,200 numbers.
        string csv = "x,digit\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"{i},{i % 10}\n"));

        Assert.Equal(10, Read(csv, new CsvReadOptions { MaxValues = 1200 }).Outputs);
        var error = ReadFails(csv, new CsvReadOptions { MaxValues = 1199 });

        Assert.Equal(DataLimit.Values, error.Limit);
        Assert.Contains("1,200 numbers", error.Message);
    }

    [Fact]
    public void Labels_map_to_the_same_classes_as_when_every_label_is_collected_first()
    {
        // Over 65,536 rows, so features and labels span several buffer chunks; labels in a scrambled order.
        var random = new Random(7);
        string[] names = ["owl", "ant", "zebra", "Bee", "moth", "ant ", "émeu"];
        var expectedInputs = new List<float>();
        var labels = new List<string>();
        var text = new StringBuilder("a,b,kind\n");
        for (int row = 0; row < 70_000; row++)
        {
            float a = random.Next(-1000, 1000) / 8f, b = random.Next(256);
            string label = names[random.Next(names.Length)];
            expectedInputs.Add(a);
            expectedInputs.Add(b);
            labels.Add(label.Trim());
            text.Append(CultureInfo.InvariantCulture, $"{a},{b},{label}\n");
        }
        // Independently: classes are the distinct trimmed labels in ordinal order.
        string[] expectedClasses = [.. labels.Distinct().Order(StringComparer.Ordinal)];

        Dataset data = Read(text.ToString(), new CsvReadOptions());

        Assert.Equal(expectedClasses, data.ClassNames);
        Assert.Equal(expectedInputs, data.Inputs);
        Assert.Equal(labels.Select(l => Array.IndexOf(expectedClasses, l)), data.Labels!);
        for (int row = 0; row < data.Samples; row += 9999)
            Assert.Equal(1f, data.Target(row)[data.Labels![row]]);
    }

    [Fact]
    public void Numeric_labels_with_more_distinct_values_than_classes_allowed_are_kept_as_regression_targets()
    {
        // 3000 distinct values pass MaxClasses (1000), so the reader stops keeping spellings and keeps each row's value.
        string csv = "x,y\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{i * 0.5 + 0.25}\n")));

        Dataset data = Read(csv, new CsvReadOptions());

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (float)(i * 0.5 + 0.25)), data.Targets);
    }

    [Fact]
    public void Numeric_classes_are_counted_by_value_even_when_spelled_in_more_ways_than_classes_allowed()
    {
        Dataset data = Read("x,y\n1,1\n2,2.0\n3,01\n4,2\n5,1.0\n", new CsvReadOptions { Task = TaskKind.Classification, MaxClasses = 2 });

        Assert.Equal(["1", "2"], data.ClassNames);
        Assert.Equal([0, 1, 0, 1, 0], data.Labels!);
    }

    [Fact]
    public void A_text_label_after_more_numeric_labels_than_classes_allowed_is_refused_as_too_many_classes()
    {
        string csv = "x,y\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i},{i}\n")) + "30,thirty\n";

        var error = ReadFails(csv, new CsvReadOptions { MaxClasses = 20 });

        Assert.Equal("labelColumn", error.Field);
        Assert.Equal(DataLimit.Classes, error.Limit);
        Assert.Contains("more than 20 distinct labels", error.Message);
    }

    [Fact]
    public void Quoted_fields_and_line_breaks_across_read_blocks_are_read_exactly()
    {
        // Rows of varied width with quotes, commas, doubled quotes and CRLF inside quoted labels, so that
        // fields, quotes and line breaks fall on every position of the reader's 16 K blocks.
        var text = new StringBuilder("\"x, one\",x2,label\r\n");
        var expectedLabels = new List<string>();
        for (int row = 0; row < 5000; row++)
        {
            string label = $"l{row % 13} \"q\"{new string('.', row % 7)},\r\nend";
            expectedLabels.Add(label);
            text.Append(CultureInfo.InvariantCulture, $"{row},  \"{row % 97}\" ,\"{label.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\r\n");
        }

        Dataset data = Read(text.ToString(), new CsvReadOptions());

        Assert.Equal(5000, data.Samples);
        Assert.Equal(Enumerable.Range(0, 5000).SelectMany(r => new[] { (float)r, r % 97 }), data.Inputs);
        string[] expectedClasses = [.. expectedLabels.Distinct().Order(StringComparer.Ordinal)];
        Assert.Equal(expectedClasses, data.ClassNames);
        Assert.Equal(expectedLabels.Select(l => Array.IndexOf(expectedClasses, l)), data.Labels!);
    }

    [Fact]
    public void Line_numbers_stay_right_after_many_quoted_line_breaks()
    {
        string rows = string.Concat(Enumerable.Range(0, 3000).Select(i => $"{i},\"a\nb{i % 2}\"\n"));

        var error = ReadFails("x,label\n" + rows + "oops,c\n", new CsvReadOptions());

        Assert.Contains($"line {2 + 3000 * 2}", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("007")]
    [InlineData("255")]
    [InlineData("123456789")]
    [InlineData("1234567890")]
    [InlineData("-0")]
    [InlineData("16777217")]
    public void Whole_numbers_are_read_exactly_as_the_general_number_parser_reads_them(string number)
    {
        float expected = (float)double.Parse(number, CultureInfo.InvariantCulture);

        Dataset data = Read($"x,label\n{number},a\n1,b\n", new CsvReadOptions());

        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(data.Inputs[0]));
    }
}
