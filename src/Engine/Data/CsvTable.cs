using System.Globalization;

namespace BackpropService.Engine.Data;

/// <summary>
/// The rows of a CSV file as they arrive: features go straight into a growing float buffer and labels into a
/// <see cref="CsvLabelColumn"/>, and the numbers the dataset would hold are counted at every row, so a file past
/// <see cref="CsvReadOptions.MaxValues"/> is refused when it gets there.
/// </summary>
internal sealed class CsvTable : IDisposable
{
    private readonly string[]? _columnNames;
    private readonly int _columnCount, _labelColumn;
    private readonly string _widthSource;
    private readonly long _maxValues;
    private readonly TensorShape? _shape;
    private readonly ChunkedBuffer<float> _features = new();
    private readonly CsvLabelColumn _labels;

    /// <summary>The first problem in the current row; raised at the row's end, after its width is checked.</summary>
    private DataFormatException? _rowError;

    public CsvTable(string[]? columnNames, int columnCount, int labelColumn, string widthSource, CsvReadOptions options)
    {
        _columnNames = columnNames;
        _columnCount = columnCount;
        _labelColumn = labelColumn;
        _widthSource = widthSource;
        _maxValues = options.MaxValues;
        _shape = options.Shape;
        _labels = new CsvLabelColumn(options.Task, options.MaxClasses, Describe(labelColumn));
    }

    /// <summary>Adds a row already split into fields (the first rows, read before the header was recognised).</summary>
    public void AddRow(IReadOnlyList<string> fields, int line)
    {
        for (int column = 0; column < fields.Count; column++)
            AddField(column, fields[column], line);
        EndRow(fields.Count, line);
    }

    /// <summary>Adds every remaining row of <paramref name="tokenizer"/>, field by field.</summary>
    public void AddRows(CsvTokenizer tokenizer)
    {
        while (tokenizer.TryReadField())
        {
            AddField(tokenizer.Column, tokenizer.Field, tokenizer.RecordLine);
            if (tokenizer.EndsRecord)
                EndRow(tokenizer.Column + 1, tokenizer.RecordLine);
        }
    }

    /// <summary>The dataset, once every row is in.</summary>
    /// <exception cref="DataFormatException">The labels cannot be targets, or the decoded dataset would pass the value limit.</exception>
    public Dataset ToDataset(string name)
    {
        (TaskKind task, float[]? regressionTargets, int[]? classIndices, string[]? classNames) = _labels.Finish();
        long rows = _labels.Rows;
        int features = _columnCount - 1;
        // Exactly what the dataset will hold, checked before the one-hot targets are allocated.
        long values = rows * features + (task == TaskKind.Regression ? rows : rows * (classNames!.Length + 1L));
        if (values > _maxValues)
            throw ValueLimitPassed($"CSV: the dataset would hold {values.ToString("N0", CultureInfo.InvariantCulture)} numbers once decoded, more than allowed");

        float[] inputs = _features.ToArray();
        _features.Dispose();
        return task == TaskKind.Regression
            ? new Dataset(name, TaskKind.Regression, features, 1, inputs, regressionTargets!) { Shape = _shape }
            : Dataset.ForClassification(name, features, inputs, classIndices!, classNames!, _shape);
    }

    public void Dispose()
    {
        _features.Dispose();
        _labels.Dispose();
    }

    private void AddField(int column, ReadOnlySpan<char> field, int line)
    {
        if (column >= _columnCount || _rowError is not null)
            return;
        if (column == _labelColumn)
        {
            try
            {
                _labels.Add(field, line);
            }
            catch (DataFormatException e)
            {
                _rowError = e;
            }
            return;
        }
        if (_labels.HasTooManyClasses)
            return; // no dataset can come of it now; only the labels are still read, to count them
        if (field.IsEmpty)
        {
            _rowError = new DataFormatException(
                $"CSV line {line}, column {Describe(column)}: the value is missing; every feature must be a number.");
            return;
        }
        if (!CsvReader.TryParseNumber(field, out double value) || !float.IsFinite((float)value))
        {
            _rowError = new DataFormatException(
                $"CSV line {line}, column {Describe(column)}: '{CsvReader.Shorten(field)}' is not a number " +
                "(features must be finite numbers with '.' as the decimal point).");
            return;
        }
        _features.Add((float)value);
    }

    private void EndRow(int fieldCount, int line)
    {
        if (fieldCount != _columnCount)
            throw new DataFormatException(
                $"CSV line {line}: found {fieldCount} fields, but {_widthSource} has {_columnCount}; " +
                "every row needs the same number of columns (quote fields that contain commas).");
        if (_rowError is { } error)
            throw error;
        if (_labels.HasTooManyClasses)
            return;
        // At least what the dataset will hold: the features, a target per row (one per class once the column is
        // certainly a classification, whose targets are one-hot) and, for classification, a class index per row.
        int classes = _labels.ClassesAtLeast;
        long values = _labels.Rows * (_columnCount - 1 + 1L + classes);
        if (values > _maxValues)
            throw ValueLimitPassed($"CSV line {line}: the rows up to here already make more numbers than allowed once decoded");
    }

    private DataFormatException ValueLimitPassed(string problem) => new(
        $"{problem}: a dataset may hold at most {_maxValues.ToString("N0", CultureInfo.InvariantCulture)} numbers " +
        $"({(_maxValues * sizeof(float)).ToString("N0", CultureInfo.InvariantCulture)} bytes at 4 bytes a number), counting the " +
        "features, the targets (one per class for classification) and the class indices. Upload fewer rows or columns.")
    {
        Limit = DataLimit.Values,
    };

    private string Describe(int column) =>
        _columnNames is null ? column.ToString(CultureInfo.InvariantCulture) : $"'{_columnNames[column]}' (index {column})";
}
