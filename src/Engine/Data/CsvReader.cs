using System.Globalization;
using System.Text;

namespace BackpropService.Engine.Data;

/// <summary>
/// Reads a CSV file (RFC 4180: comma-separated, fields may be quoted with "" as an escaped quote and may
/// then hold commas and line breaks) into a dataset: one column is the label, every other column a
/// numeric feature. Plain or gzip input, recognised by its magic bytes. Numbers use the invariant
/// culture ("1.5", never "1,5"). Blank lines are skipped wherever they are.
/// </summary>
/// <remarks>
/// Memory stays bounded by the options, whatever the file: the text is read a field at a time
/// (<see cref="CsvReadOptions.MaxFieldLength"/>, <see cref="CsvReadOptions.MaxColumns"/>), features go straight into
/// a float buffer, labels become class indices as rows arrive, and the numbers the dataset would hold are counted at
/// every row against <see cref="CsvReadOptions.MaxValues"/>, so a small gzip that expands to millions of rows is
/// refused after reading about that many numbers.
/// <para>
/// Header rule: the first row is a header when none of its fields is a number and at least one column
/// of the second row is (or when it is the only row). So "x1,x2,label" over "0.5,1.2,cat" is a header,
/// while "5.1,3.5,setosa" over "4.9,3.0,setosa" is data. A data row whose features are all text
/// would be taken for a header, but such a row could never be read as features anyway.
/// </para>
/// </remarks>
public static class CsvReader
{
    /// <summary>Integer labels with at most this many distinct values are taken for class indices when the task is inferred.</summary>
    public const int MaxInferredClasses = 20;

    /// <summary>Longest value quoted back in an error message; longer ones are cut.</summary>
    private const int MaxQuotedValueLength = 40;

    /// <summary>Reads the whole stream (plain or gzip) into a dataset. Does not dispose <paramref name="stream"/>.</summary>
    /// <exception cref="DataFormatException">
    /// The file cannot be read as a dataset, or passes one of the options' limits (then <see cref="DataFormatException.Limit"/>
    /// says which); the message names the line and column, <see cref="DataFormatException.Field"/> is <c>labelColumn</c>
    /// when the requested label column is the problem, <c>shape</c> when <see cref="CsvReadOptions.Shape"/> does not fit
    /// the columns, <c>file</c> otherwise.
    /// </exception>
    public static Dataset Read(Stream stream, CsvReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxColumns, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFieldLength, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxValues, 1, nameof(options));
        try
        {
            using Stream content = GzipDetection.Decompressed(stream, options.MaxBytes, "CSV", out _);
            using var text = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 32 * 1024);
            return Read(new CsvTokenizer(text, options.MaxFieldLength, options.MaxColumns), options);
        }
        catch (InvalidDataException ex)
        {
            throw new DataFormatException($"CSV: the gzip data is damaged ({ex.Message}).", ex) { Field = FileField };
        }
        catch (DataFormatException ex) when (ex.Field is null)
        {
            // Everything not about the label column is about the file's content.
            throw new DataFormatException(ex.Message, ex) { Field = FileField, Limit = ex.Limit };
        }
    }

    /// <summary>The upload fields a problem can be in: the CSV file, the label column asked for, or the shape given.</summary>
    internal const string FileField = "file", LabelColumnField = "labelColumn", ShapeField = "shape";

    private static Dataset Read(CsvTokenizer tokenizer, CsvReadOptions options)
    {
        List<string> first = ReadRecordText(tokenizer, out int firstLine)
            ?? throw new DataFormatException("CSV: the file is empty; expected a header or data rows.");
        List<string>? second = ReadRecordText(tokenizer, out int secondLine);

        bool hasHeader = LooksLikeHeader(first, second);
        if (hasHeader && second is null)
            throw new DataFormatException($"CSV: the file has a header (line {firstLine}) but no data rows.");
        int columnCount = first.Count;
        if (columnCount < 2)
            throw new DataFormatException(
                $"CSV line {firstLine}: found a single column; a dataset needs at least one feature column and a " +
                "label column, separated by commas.");

        if (options.Shape is { } shape && shape.Length != columnCount - 1)
            throw new DataFormatException(
                $"The shape {shape} holds {shape.Length.ToString("N0", CultureInfo.InvariantCulture)} values; the file has " +
                $"{columnCount - 1} feature columns (every column but the label), so channels × height × width must be {columnCount - 1}.")
            { Field = ShapeField };

        string[]? columnNames = hasHeader ? [.. first] : null;
        int labelColumn = ResolveLabelColumn(options.LabelColumn, columnNames, columnCount);
        using var table = new CsvTable(columnNames, columnCount, labelColumn, hasHeader ? "the header" : $"line {firstLine}", options);

        if (!hasHeader)
            table.AddRow(first, firstLine);
        if (second is not null)
        {
            table.AddRow(second, secondLine);
            table.AddRows(tokenizer);
        }
        return table.ToDataset(options.Name);
    }

    /// <summary>The next record's fields as strings (only the first two are read so, to recognise a header); null at the end.</summary>
    private static List<string>? ReadRecordText(CsvTokenizer tokenizer, out int line)
    {
        line = 0;
        if (!tokenizer.TryReadField())
            return null;
        line = tokenizer.RecordLine;
        var fields = new List<string>();
        while (true)
        {
            fields.Add(tokenizer.Field.ToString());
            if (tokenizer.EndsRecord)
                return fields;
            tokenizer.TryReadField();
        }
    }

    private static bool LooksLikeHeader(List<string> first, List<string>? second)
    {
        if (first.Exists(IsNumber))
            return false;
        if (second is null)
            return true;
        for (int column = 0; column < Math.Min(first.Count, second.Count); column++)
            if (IsNumber(second[column]))
                return true;
        return false;
    }

    private static int ResolveLabelColumn(string? requested, string[]? columnNames, int columnCount)
    {
        if (string.IsNullOrWhiteSpace(requested))
            return columnCount - 1;
        string wanted = requested.Trim();
        if (columnNames is not null)
        {
            int exact = Array.IndexOf(columnNames, wanted);
            if (exact >= 0)
                return exact;
            int[] caseInsensitive = [.. Enumerable.Range(0, columnCount)
                .Where(c => string.Equals(columnNames[c], wanted, StringComparison.OrdinalIgnoreCase))];
            if (caseInsensitive.Length == 1)
                return caseInsensitive[0];
        }
        if (int.TryParse(wanted, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index))
        {
            if (index < 0 || index >= columnCount)
                throw new DataFormatException(
                    $"CSV: label column index {index} is out of range; the file has {columnCount} columns " +
                    $"(indices 0–{columnCount - 1}).") { Field = LabelColumnField };
            return index;
        }
        string available = columnNames is null
            ? $"the file has no header, so give a 0-based column index (0–{columnCount - 1})"
            : "available columns: " + string.Join(", ", columnNames.Select(n => $"'{n}'"));
        throw new DataFormatException($"CSV: unknown label column '{Shorten(wanted)}'; {available}.") { Field = LabelColumnField };
    }

    /// <summary>A finite number in the invariant culture; surrounding spaces are allowed.</summary>
    private static bool IsNumber(string field) => TryParseNumber(field, out _);

    internal static bool TryParseNumber(ReadOnlySpan<char> field, out double value)
    {
        // Most fields of image-like data are short unsigned whole numbers (pixels, labels); an integer of at most
        // 9 digits is exactly representable, so reading it digit by digit gives the general parser's value.
        if (field.Length is > 0 and <= 9)
        {
            int whole = 0;
            int i = 0;
            for (; i < field.Length && char.IsAsciiDigit(field[i]); i++)
                whole = whole * 10 + (field[i] - '0');
            if (i == field.Length)
            {
                value = whole;
                return true;
            }
        }
        return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>A value as quoted back in an error message: cut after a few dozen characters.</summary>
    internal static string Shorten(ReadOnlySpan<char> value) =>
        value.Length <= MaxQuotedValueLength ? value.ToString() : string.Concat(value[..MaxQuotedValueLength], "…");
}
