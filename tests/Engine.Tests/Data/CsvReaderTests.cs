using System.Text;
using BackpropService.Engine.Data;

namespace BackpropService.Engine.Tests.Data;

public class CsvReaderTests
{
    private static Dataset Read(string csv, string? labelColumn = null, TaskKind? task = null) =>
        CsvReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            new CsvReadOptions { Name = "test", LabelColumn = labelColumn, Task = task });

    private static DataFormatException ReadFails(string csv, string? labelColumn = null, TaskKind? task = null) =>
        Assert.Throws<DataFormatException>(() => Read(csv, labelColumn, task));

    [Fact]
    public void A_header_row_is_recognised_and_the_last_column_is_the_label_by_default()
    {
        Dataset data = Read("x1,x2,label\n0.5,1.5,cat\n-2,3e-1,dog\n4,5,cat\n");

        Assert.Equal("test", data.Name);
        Assert.Equal(3, data.Samples);
        Assert.Equal(2, data.Features);
        Assert.Equal([0.5f, 1.5f, -2f, 0.3f, 4f, 5f], data.Inputs);
        Assert.Equal(["cat", "dog"], data.ClassNames);
        Assert.Equal([0, 1, 0], data.Labels!);
    }

    [Fact]
    public void Without_a_header_the_first_row_is_data()
    {
        Dataset data = Read("5.1,3.5,setosa\n4.9,3.0,setosa\n6.2,2.9,versicolor\n");

        Assert.Equal(3, data.Samples);
        Assert.Equal([5.1f, 3.5f], data.Input(0).ToArray());
        Assert.Equal(["setosa", "versicolor"], data.ClassNames);
    }

    [Fact]
    public void The_label_column_can_be_chosen_by_header_name()
    {
        Dataset data = Read("species,length,width\nb,1,2\na,3,4\n", labelColumn: "species");

        Assert.Equal([1f, 2f, 3f, 4f], data.Inputs);
        Assert.Equal(["a", "b"], data.ClassNames);
        Assert.Equal([1, 0], data.Labels!);
    }

    [Fact]
    public void The_label_column_can_be_chosen_by_zero_based_index()
    {
        Dataset data = Read("1,10,0.5\n0,20,0.25\n1,30,0.75\n", labelColumn: "0");

        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal([10f, 0.5f, 20f, 0.25f, 30f, 0.75f], data.Inputs);
        Assert.Equal([1, 0, 1], data.Labels!);
    }

    [Fact]
    public void String_labels_become_classes_in_sorted_order_with_their_names_kept()
    {
        Dataset data = Read("a,b,kind\n1,2,zebra\n3,4,ant\n5,6,moth\n7,8,ant\n");

        Assert.Equal(["ant", "moth", "zebra"], data.ClassNames);
        Assert.Equal([2, 0, 1, 0], data.Labels!);
        Assert.Equal(3, data.Outputs);
        Assert.Equal([0f, 0f, 1f], data.Target(0).ToArray());
    }

    [Fact]
    public void Numeric_class_labels_are_sorted_numerically_not_as_text()
    {
        Dataset data = Read("x,y\n1,10\n2,2\n3,-1\n4,2.0\n");

        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(["-1", "2", "10"], data.ClassNames);
        Assert.Equal([2, 1, 0, 1], data.Labels!);
    }

    [Fact]
    public void Quoted_fields_may_hold_commas_escaped_quotes_and_line_breaks()
    {
        Dataset data = Read("\"x, first\",\"x \"\"second\"\"\",label\n\"1.5\",2,\"red, dark\"\n3,4,\"say \"\"hi\"\"\"\n5,6,\"two\nlines\"\n");

        Assert.Equal(3, data.Samples);
        Assert.Equal([1.5f, 2f, 3f, 4f, 5f, 6f], data.Inputs);
        Assert.Equal(["red, dark", "say \"hi\"", "two\nlines"], data.ClassNames);
    }

    [Fact]
    public void Quoted_header_names_with_commas_can_name_the_label_column()
    {
        Dataset data = Read("\"target, kind\",x\nb,1\na,2\n", labelColumn: "target, kind");

        Assert.Equal([1f, 2f], data.Inputs);
        Assert.Equal(["a", "b"], data.ClassNames);
    }

    [Fact]
    public void Non_integer_numeric_labels_are_inferred_as_regression()
    {
        Dataset data = Read("x,price\n1,10.5\n2,20.25\n3,7\n");

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal(1, data.Outputs);
        Assert.Equal([10.5f, 20.25f, 7f], data.Targets);
        Assert.Null(data.Labels);
        Assert.Null(data.ClassNames);
    }

    [Fact]
    public void Integer_labels_with_many_distinct_values_are_inferred_as_regression()
    {
        string csv = "x,y\n" + string.Concat(Enumerable.Range(0, 21).Select(i => $"{i},{i * 3}\n"));

        Assert.Equal(TaskKind.Regression, Read(csv).Task);
        Assert.Equal(TaskKind.Classification, Read(csv[..csv.LastIndexOf("20,", StringComparison.Ordinal)]).Task);
    }

    [Fact]
    public void An_explicit_task_overrides_inference()
    {
        Dataset data = Read("x,y\n1,0\n2,1\n3,1\n", task: TaskKind.Regression);

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal([0f, 1f, 1f], data.Targets);
    }

    [Fact]
    public void Regression_with_a_text_label_names_the_line_and_column()
    {
        var ex = ReadFails("x,y\n1,0.5\n2,high\n", task: TaskKind.Regression);

        Assert.Contains("line 3", ex.Message);
        Assert.Contains("'y'", ex.Message);
        Assert.Contains("high", ex.Message);
    }

    [Fact]
    public void Gzip_input_is_detected_by_its_magic_bytes()
    {
        byte[] plain = Encoding.UTF8.GetBytes("x1,x2,label\n0.5,1.5,cat\n-2,0.3,dog\n");

        Dataset data = CsvReader.Read(new MemoryStream(IdxReaderTests.Gzip(plain)), new CsvReadOptions());

        Assert.Equal(2, data.Samples);
        Assert.Equal(["cat", "dog"], data.ClassNames);
    }

    [Fact]
    public void Broken_gzip_input_is_a_data_format_error()
    {
        byte[] gzip = IdxReaderTests.Gzip(Encoding.UTF8.GetBytes("x,y\n1,2\n"));
        gzip[2] = 0x07;

        var ex = Assert.Throws<DataFormatException>(() => CsvReader.Read(new MemoryStream(gzip), new CsvReadOptions()));

        Assert.Contains("gzip", ex.Message);
    }

    [Fact]
    public void Windows_line_endings_a_byte_order_mark_and_blank_trailing_lines_are_accepted()
    {
        byte[] bytes = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("x,label\r\n1,a\r\n2,b\r\n\r\n  \r\n")];

        Dataset data = CsvReader.Read(new MemoryStream(bytes), new CsvReadOptions());

        Assert.Equal(2, data.Samples);
        Assert.Equal(["a", "b"], data.ClassNames);
    }

    [Fact]
    public void Numbers_use_the_invariant_culture_whatever_the_current_one()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Dataset data = Read("x,y\n1.5,0.25\n2.5,0.75\n");
            Assert.Equal([1.5f, 2.5f], data.Inputs);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_ragged_row_names_its_line_and_both_widths()
    {
        var ex = ReadFails("a,b,label\n1,2,x\n3,4,y\n5,6\n");

        Assert.Contains("line 4", ex.Message);
        Assert.Contains("2 fields", ex.Message);
        Assert.Contains("the header has 3", ex.Message);
    }

    [Fact]
    public void A_line_number_counts_physical_lines_after_a_quoted_line_break()
    {
        var ex = ReadFails("a,b,label\n1,2,\"multi\nline\"\n3,oops,y\n");

        Assert.Contains("line 4", ex.Message);
    }

    [Fact]
    public void A_non_numeric_feature_names_its_line_column_and_value()
    {
        var ex = ReadFails("height,weight,label\n1,2,x\n3,heavy,y\n");

        Assert.Contains("line 3", ex.Message);
        Assert.Contains("'weight'", ex.Message);
        Assert.Contains("'heavy'", ex.Message);
        Assert.Contains("not a number", ex.Message);
    }

    [Fact]
    public void A_non_numeric_feature_without_a_header_is_named_by_its_index()
    {
        var ex = ReadFails("1,2,x\n3,4,y\n5,abc,z\n");

        Assert.Contains("line 3", ex.Message);
        Assert.Contains("column 1", ex.Message);
    }

    [Fact]
    public void A_missing_feature_value_is_reported()
    {
        var ex = ReadFails("a,b,label\n1,2,x\n3,,y\n");

        Assert.Contains("line 3", ex.Message);
        Assert.Contains("'b'", ex.Message);
        Assert.Contains("missing", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    public void An_empty_file_is_reported_as_empty(string csv)
    {
        var ex = ReadFails(csv);

        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void A_header_without_data_rows_is_reported()
    {
        var ex = ReadFails("x1,x2,label\n");

        Assert.Contains("header", ex.Message);
        Assert.Contains("no data rows", ex.Message);
    }

    [Fact]
    public void An_unknown_label_column_lists_the_available_columns()
    {
        var ex = ReadFails("height,weight,species\n1,2,x\n3,4,y\n", labelColumn: "colour");

        Assert.Contains("'colour'", ex.Message);
        Assert.Contains("'height', 'weight', 'species'", ex.Message);
    }

    [Fact]
    public void A_label_column_index_out_of_range_gives_the_valid_range()
    {
        var ex = ReadFails("1,2,0\n3,4,1\n", labelColumn: "3");

        Assert.Contains("index 3", ex.Message);
        Assert.Contains("0–2", ex.Message);
    }

    [Fact]
    public void A_label_name_without_a_header_asks_for_an_index()
    {
        var ex = ReadFails("1,2,0\n3,4,1\n", labelColumn: "species");

        Assert.Contains("'species'", ex.Message);
        Assert.Contains("no header", ex.Message);
    }

    [Fact]
    public void A_single_column_file_is_rejected()
    {
        var ex = ReadFails("1\n2\n3\n");

        Assert.Contains("single column", ex.Message);
    }

    [Fact]
    public void An_unclosed_quote_names_the_line_where_it_opened()
    {
        var ex = ReadFails("x,label\n1,a\n2,\"b\n3,c\n");

        Assert.Contains("line 3", ex.Message);
        Assert.Contains("never closed", ex.Message);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_rejected()
    {
        var ex = ReadFails("x,label\n1,\"a\"b\n");

        Assert.Contains("line 2", ex.Message);
        Assert.Contains("closing quote", ex.Message);
    }

    [Fact]
    public void A_single_class_is_not_enough_for_classification()
    {
        var ex = ReadFails("x,label\n1,a\n2,a\n");

        Assert.Contains("two classes", ex.Message);
    }
}
