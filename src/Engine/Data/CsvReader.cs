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
/// Header rule: the first row is a header when none of its fields is a number and at least one column
/// of the second row is (or when it is the only row). So "x1,x2,label" over "0.5,1.2,cat" is a header,
/// while "5.1,3.5,setosa" over "4.9,3.0,setosa" is data. A data row whose features are all text
/// would be taken for a header, but such a row could never be read as features anyway.
/// </remarks>
public static class CsvReader
{
    /// <summary>Integer labels with at most this many distinct values are taken for class indices when the task is inferred.</summary>
    public const int MaxInferredClasses = 20;

    /// <summary>Longest value quoted back in an error message; longer ones are cut.</summary>
    private const int MaxQuotedValueLength = 40;

    /// <summary>Reads the whole stream (plain or gzip) into a dataset. Does not dispose <paramref name="stream"/>.</summary>
    /// <exception cref="DataFormatException">
    /// The file cannot be read as a dataset; the message names the line and column, <see cref="DataFormatException.Field"/>
    /// is <c>labelColumn</c> when the requested label column is the problem, <c>file</c> otherwise.
    /// </exception>
    public static Dataset Read(Stream stream, CsvReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            using Stream content = GzipDetection.Decompressed(stream, options.MaxBytes, "CSV", out _);
            using var text = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return Read(new RecordParser(text), options);
        }
        catch (InvalidDataException ex)
        {
            throw new DataFormatException($"CSV: the gzip data is damaged ({ex.Message}).", ex) { Field = FileField };
        }
        catch (DataFormatException ex) when (ex.Field is null)
        {
            // Everything not about the label column is about the file's content.
            throw new DataFormatException(ex.Message, ex) { Field = FileField };
        }
    }

    /// <summary>The upload fields a problem can be in: the CSV file, or the label column asked for.</summary>
    private const string FileField = "file", LabelColumnField = "labelColumn";

    private static Dataset Read(RecordParser parser, CsvReadOptions options)
    {
        var first = new List<string>();
        if (!parser.TryRead(first, out int firstLine))
            throw new DataFormatException("CSV: the file is empty; expected a header or data rows.");
        var second = new List<string>();
        bool hasSecond = parser.TryRead(second, out int secondLine);

        bool hasHeader = LooksLikeHeader(first, hasSecond ? second : null);
        if (hasHeader && !hasSecond)
            throw new DataFormatException($"CSV: the file has a header (line {firstLine}) but no data rows.");
        int columnCount = first.Count;
        if (columnCount < 2)
            throw new DataFormatException(
                $"CSV line {firstLine}: found a single column; a dataset needs at least one feature column and a " +
                "label column, separated by commas.");

        string[]? columnNames = hasHeader ? [.. first] : null;
        int labelColumn = ResolveLabelColumn(options.LabelColumn, columnNames, columnCount);
        var table = new Table(columnNames, columnCount, labelColumn, hasHeader ? "the header" : $"line {firstLine}");

        if (!hasHeader)
            table.Add(first, firstLine);
        if (hasSecond)
        {
            table.Add(second, secondLine);
            var row = second;
            while (parser.TryRead(row, out int line))
                table.Add(row, line);
        }

        return table.ToDataset(options.Name, options.Task, options.MaxClasses);
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

    private static bool TryParseNumber(string field, out double value) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string Shorten(string value) =>
        value.Length <= MaxQuotedValueLength ? value : string.Concat(value.AsSpan(0, MaxQuotedValueLength), "…");

    /// <summary>Collects features as numbers and labels as text until the task (and so their meaning) is known.</summary>
    private sealed class Table(string[]? columnNames, int columnCount, int labelColumn, string widthSource)
    {
        private readonly List<float> _features = [];
        private readonly List<string> _labels = [];
        private readonly List<int> _labelLines = [];

        public void Add(List<string> row, int line)
        {
            if (row.Count != columnCount)
                throw new DataFormatException(
                    $"CSV line {line}: found {row.Count} fields, but {widthSource} has {columnCount}; " +
                    "every row needs the same number of columns (quote fields that contain commas).");
            for (int column = 0; column < columnCount; column++)
            {
                string field = row[column];
                if (column == labelColumn)
                {
                    if (field.Length == 0)
                        throw new DataFormatException($"CSV line {line}, column {Describe(column)}: the label is empty.");
                    _labels.Add(field);
                    _labelLines.Add(line);
                    continue;
                }
                if (field.Length == 0)
                    throw new DataFormatException(
                        $"CSV line {line}, column {Describe(column)}: the value is missing; every feature must be a number.");
                if (!TryParseNumber(field, out double value) || !float.IsFinite((float)value))
                    throw new DataFormatException(
                        $"CSV line {line}, column {Describe(column)}: '{Shorten(field)}' is not a number " +
                        "(features must be finite numbers with '.' as the decimal point).");
                _features.Add((float)value);
            }
        }

        public Dataset ToDataset(string name, TaskKind? requestedTask, int maxClasses)
        {
            int samples = _labels.Count;
            var numericLabels = new double[samples];
            int firstNonNumeric = -1;
            for (int i = 0; i < samples; i++)
                if (!TryParseNumber(_labels[i], out numericLabels[i]) && firstNonNumeric < 0)
                    firstNonNumeric = i;
            bool allNumeric = firstNonNumeric < 0;

            TaskKind task = requestedTask ?? InferTask(allNumeric, numericLabels);
            float[] inputs = [.. _features];
            int features = columnCount - 1;

            if (task == TaskKind.Regression)
            {
                if (!allNumeric)
                    throw new DataFormatException(
                        $"CSV line {_labelLines[firstNonNumeric]}, column {Describe(labelColumn)}: label " +
                        $"'{Shorten(_labels[firstNonNumeric])}' is not a number, but regression needs numeric targets.");
                var targets = new float[samples];
                for (int i = 0; i < samples; i++)
                {
                    targets[i] = (float)numericLabels[i];
                    if (!float.IsFinite(targets[i]))
                        throw new DataFormatException(
                            $"CSV line {_labelLines[i]}, column {Describe(labelColumn)}: label '{Shorten(_labels[i])}' is too large for a float.");
                }
                return new Dataset(name, TaskKind.Regression, features, 1, inputs, targets);
            }

            (int[] classIndices, string[] classNames) = allNumeric ? NumericClasses(numericLabels) : TextClasses(_labels);
            if (classNames.Length > maxClasses)
                throw new DataFormatException(
                    $"CSV label column {Describe(labelColumn)}: {classNames.Length} distinct labels, more than the {maxClasses} classes allowed; " +
                    "if the column holds numbers to predict, ask for task regression, or choose another label column.") { Field = LabelColumnField };
            if (classNames.Length < 2)
                throw new DataFormatException(
                    $"CSV column {Describe(labelColumn)}: every label is '{Shorten(classNames[0])}'; classification needs at least two classes.");
            return Dataset.ForClassification(name, features, inputs, classIndices, classNames);
        }

        private static TaskKind InferTask(bool allNumeric, double[] numericLabels)
        {
            if (!allNumeric)
                return TaskKind.Classification;
            bool allIntegers = Array.TrueForAll(numericLabels, v => v == Math.Floor(v));
            bool fewValues = numericLabels.Distinct().Take(MaxInferredClasses + 1).Count() <= MaxInferredClasses;
            return allIntegers && fewValues ? TaskKind.Classification : TaskKind.Regression;
        }

        /// <summary>Numeric class labels sorted numerically (so "2" comes before "10"); names are the shortest invariant spelling.</summary>
        private static (int[], string[]) NumericClasses(double[] values)
        {
            // Adding 0.0 turns −0 into +0, so "-0" and "0" are one class.
            double[] distinct = [.. values.Select(v => v + 0.0).Distinct().Order()];
            var indexOf = new Dictionary<double, int>();
            for (int c = 0; c < distinct.Length; c++)
                indexOf[distinct[c]] = c;
            int[] indices = [.. values.Select(v => indexOf[v + 0.0])];
            string[] names = [.. distinct.Select(v => v.ToString(CultureInfo.InvariantCulture))];
            return (indices, names);
        }

        /// <summary>Text class labels in ordinal order, so the mapping does not depend on the machine's culture.</summary>
        private static (int[], string[]) TextClasses(List<string> labels)
        {
            string[] names = [.. labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int c = 0; c < names.Length; c++)
                indexOf[names[c]] = c;
            int[] indices = [.. labels.Select(l => indexOf[l])];
            return (indices, names);
        }

        private string Describe(int column) =>
            columnNames is null ? column.ToString(CultureInfo.InvariantCulture) : $"'{columnNames[column]}' (index {column})";
    }

    /// <summary>
    /// Splits text into records per RFC 4180, counting physical lines so errors can point at them.
    /// Unquoted fields are trimmed; quoted fields are kept exactly.
    /// </summary>
    private sealed class RecordParser(TextReader reader)
    {
        private readonly StringBuilder _field = new();
        private int _line = 1;

        /// <summary>Reads the next non-blank record into <paramref name="fields"/>; false at the end of the text.</summary>
        public bool TryRead(List<string> fields, out int startLine)
        {
            fields.Clear();
            _field.Clear();
            startLine = _line;
            bool quoted = false, inQuotes = false, afterClosingQuote = false;
            int quoteLine = 0;

            while (true)
            {
                int next = reader.Read();
                if (next == -1)
                {
                    if (inQuotes)
                        throw new DataFormatException(
                            $"CSV line {quoteLine}, field {fields.Count + 1}: a quoted field is never closed (missing '\"').");
                    if (fields.Count == 0 && !quoted && IsBlank(_field))
                        return false;
                    EndField(fields, quoted);
                    return true;
                }

                char c = (char)next;
                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            reader.Read();
                            _field.Append('"');
                        }
                        else
                        {
                            inQuotes = false;
                            afterClosingQuote = true;
                        }
                    }
                    else
                    {
                        if (c == '\n' || (c == '\r' && reader.Peek() != '\n'))
                            _line++;
                        _field.Append(c);
                    }
                    continue;
                }

                if (c == ',')
                {
                    EndField(fields, quoted);
                    quoted = afterClosingQuote = false;
                    continue;
                }
                if (c == '\r' || c == '\n')
                {
                    if (c == '\r' && reader.Peek() == '\n')
                        reader.Read();
                    _line++;
                    if (fields.Count == 0 && !quoted && IsBlank(_field))
                    {
                        _field.Clear();
                        startLine = _line;
                        continue;
                    }
                    EndField(fields, quoted);
                    return true;
                }
                if (afterClosingQuote)
                {
                    if (char.IsWhiteSpace(c))
                        continue;
                    throw new DataFormatException(
                        $"CSV line {_line}, field {fields.Count + 1}: unexpected '{c}' after a closing quote; " +
                        "a quote inside a quoted field must be doubled (\"\").");
                }
                if (c == '"' && IsBlank(_field))
                {
                    _field.Clear();
                    quoted = inQuotes = true;
                    quoteLine = _line;
                    continue;
                }
                // A quote in the middle of an unquoted field (5"3) is not RFC 4180 but is unambiguous: keep it.
                _field.Append(c);
            }
        }

        private void EndField(List<string> fields, bool quoted)
        {
            string value = _field.ToString();
            fields.Add(quoted ? value : value.Trim());
            _field.Clear();
        }

        private static bool IsBlank(StringBuilder text)
        {
            foreach (ReadOnlyMemory<char> chunk in text.GetChunks())
                foreach (char c in chunk.Span)
                    if (!char.IsWhiteSpace(c))
                        return false;
            return true;
        }
    }
}
