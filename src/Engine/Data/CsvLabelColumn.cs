using System.Globalization;

namespace BackpropService.Engine.Data;

/// <summary>
/// Turns the label column into class indices or regression targets as rows arrive, keeping one number per row and
/// one string per distinct label — never a string per row. Until the task is known (it may be inferred from all
/// the labels) each row keeps the index of its label's spelling; when there are more distinct spellings than a
/// classification may have and every label is a number, the rows switch to keeping their numeric values instead.
/// </summary>
internal sealed class CsvLabelColumn : IDisposable
{
    /// <summary>Once a classification certainly has too many classes, this many more distinct labels are counted for the error message.</summary>
    private const int ExtraLabelsCounted = 10_000;

    private readonly TaskKind? _requestedTask;
    private readonly int _maxClasses;
    private readonly string _column;

    // Each distinct spelling once, with its number (NaN when it is not one), while spellings are tracked.
    private readonly Dictionary<string, int> _spellingIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spellingLookup;
    private readonly List<string> _spellings = [];
    private readonly List<double> _spellingValues = [];
    private ChunkedBuffer<int>? _rowSpellings = new();

    // Each row's number, once the spellings are too many to be classes (every label so far is a number).
    private ChunkedBuffer<double>? _rowValues;

    // Distinct numeric values (−0 counted as +0), up to one more than any classification may have.
    private readonly HashSet<double> _distinctValues = [];
    private readonly int _distinctValuesKept;
    private bool _allNumeric = true, _allIntegers = true;
    private bool _countingSpellings;
    private int? _firstTooLargeLine;
    private string? _firstTooLargeText;

    public CsvLabelColumn(TaskKind? requestedTask, int maxClasses, string describedColumn)
    {
        _requestedTask = requestedTask;
        _maxClasses = maxClasses;
        _column = describedColumn;
        _spellingLookup = _spellingIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        _distinctValuesKept = Math.Max(maxClasses, CsvReader.MaxInferredClasses) + 1;
    }

    /// <summary>Rows added so far.</summary>
    public long Rows { get; private set; }

    /// <summary>
    /// True once the column cannot make a dataset because it has more classes than allowed; the reader then stops
    /// keeping rows and only feeds labels, so <see cref="Finish"/> can say how many distinct labels there are.
    /// </summary>
    public bool HasTooManyClasses { get; private set; }

    /// <summary>
    /// A lower bound on the classes the dataset will have (0 while regression is still possible), for counting the
    /// one-hot targets against the value limit as rows arrive.
    /// </summary>
    public int ClassesAtLeast =>
        _requestedTask == TaskKind.Regression || (_allNumeric && _requestedTask is null) ? 0
        : _allNumeric ? _distinctValues.Count
        : _spellings.Count;

    /// <summary>Adds one row's label.</summary>
    /// <exception cref="DataFormatException">The label is empty, or not a number when regression was asked for.</exception>
    public void Add(ReadOnlySpan<char> label, int line)
    {
        if (label.IsEmpty)
            throw new DataFormatException($"CSV line {line}, column {_column}: the label is empty.");
        if (HasTooManyClasses)
        {
            CountExtraLabel(label);
            return;
        }
        if (_rowSpellings is not null && _spellingLookup.TryGetValue(label, out int known))
        {
            // Seen before: checked, parsed and counted then (and an earlier row is the first of any problem).
            _rowSpellings.Add(known);
            Rows++;
            return;
        }

        bool isNumber = CsvReader.TryParseNumber(label, out double value);
        if (!isNumber && _requestedTask == TaskKind.Regression)
            throw new DataFormatException(
                $"CSV line {line}, column {_column}: label '{CsvReader.Shorten(label)}' is not a number, but regression needs numeric targets.");
        if (isNumber)
            NoteNumber(value, label, line);
        else
            _allNumeric = false;

        if (_rowSpellings is not null)
            AddSpelling(label, isNumber, value);
        else if (!isNumber)
            // The spellings outnumber the classes allowed and this label makes the column a classification by text.
            HasTooManyClasses = true;
        else
            _rowValues!.Add(value);

        if (!HasTooManyClasses && _requestedTask == TaskKind.Classification && _allNumeric && _distinctValues.Count > _maxClasses)
            HasTooManyClasses = true;
        if (!HasTooManyClasses)
            Rows++;
    }

    /// <summary>
    /// The task and the targets: one-hot rows (and class indices and names) for classification, one value per row
    /// for regression. Call once, after the last row.
    /// </summary>
    /// <exception cref="DataFormatException">The labels cannot be targets of the task (too many or too few classes, a number too large for a float).</exception>
    public (TaskKind Task, float[]? RegressionTargets, int[]? ClassIndices, string[]? ClassNames) Finish()
    {
        if (HasTooManyClasses)
            throw TooManyClasses();

        TaskKind task = _requestedTask ?? InferTask();
        if (task == TaskKind.Regression)
        {
            // Regression was asked for (a text label failed at its row) or inferred, which needs every label to be a number.
            if (_firstTooLargeLine is { } line)
                throw new DataFormatException(
                    $"CSV line {line}, column {_column}: label '{_firstTooLargeText}' is too large for a float.");
            var targets = new float[Rows];
            int row = 0;
            if (_rowValues is not null)
                foreach (ArraySegment<double> segment in _rowValues.Segments())
                    foreach (double value in segment)
                        targets[row++] = (float)value;
            else
                foreach (ArraySegment<int> segment in _rowSpellings!.Segments())
                    foreach (int spelling in segment)
                        targets[row++] = (float)_spellingValues[spelling];
            return (task, targets, null, null);
        }

        (int[] indices, string[] names) = _allNumeric ? NumericClasses() : TextClasses();
        if (names.Length < 2)
            throw new DataFormatException(
                $"CSV column {_column}: every label is '{CsvReader.Shorten(names[0])}'; classification needs at least two classes.");
        return (task, null, indices, names);
    }

    public void Dispose()
    {
        _rowSpellings?.Dispose();
        _rowValues?.Dispose();
    }

    private void NoteNumber(double value, ReadOnlySpan<char> label, int line)
    {
        if (value != Math.Floor(value))
            _allIntegers = false;
        if (_firstTooLargeLine is null && !float.IsFinite((float)value))
        {
            _firstTooLargeLine = line;
            _firstTooLargeText = CsvReader.Shorten(label);
        }
        // Adding 0.0 turns −0 into +0, so "-0" and "0" are one class.
        if (_allNumeric && _distinctValues.Count < _distinctValuesKept)
            _distinctValues.Add(value + 0.0);
    }

    private void AddSpelling(ReadOnlySpan<char> label, bool isNumber, double value)
    {
        if (!_spellingLookup.TryGetValue(label, out int index))
        {
            if (_spellings.Count == _maxClasses)
            {
                // One distinct spelling more than a classification by text may have.
                if (!_allNumeric)
                {
                    HasTooManyClasses = true;
                    _countingSpellings = true;
                    _spellingLookup.TryAdd(label, _spellingIndex.Count);
                    return;
                }
                SwitchToValues();
                _rowValues!.Add(value);
                return;
            }
            index = _spellings.Count;
            string spelling = label.ToString();
            _spellingIndex.Add(spelling, index);
            _spellings.Add(spelling);
            _spellingValues.Add(isNumber ? value : double.NaN);
        }
        _rowSpellings!.Add(index);
    }

    /// <summary>Every label so far is a number: keep each row's value instead of its spelling's index.</summary>
    private void SwitchToValues()
    {
        _rowValues = new ChunkedBuffer<double>();
        foreach (ArraySegment<int> segment in _rowSpellings!.Segments())
            foreach (int spelling in segment)
                _rowValues.Add(_spellingValues[spelling]);
        _rowSpellings.Dispose();
        _rowSpellings = null;
        _spellingIndex.Clear();
        _spellings.Clear();
        _spellingValues.Clear();
    }

    /// <summary>After too many text classes, distinct spellings are still counted (up to a bound) so the error can say how many there are.</summary>
    private void CountExtraLabel(ReadOnlySpan<char> label)
    {
        if (_countingSpellings && _spellingIndex.Count <= _maxClasses + ExtraLabelsCounted)
            _spellingLookup.TryAdd(label, _spellingIndex.Count);
    }

    private DataFormatException TooManyClasses()
    {
        int countedUpTo = _maxClasses + ExtraLabelsCounted;
        string count = !_countingSpellings ? $"more than {_maxClasses.ToString(CultureInfo.InvariantCulture)}"
            : _spellingIndex.Count <= countedUpTo ? _spellingIndex.Count.ToString(CultureInfo.InvariantCulture)
            : $"more than {countedUpTo.ToString(CultureInfo.InvariantCulture)}";
        return new DataFormatException(
            $"CSV label column {_column}: {count} distinct labels, more than the {_maxClasses} classes allowed; " +
            "if the column holds numbers to predict, ask for task regression, or choose another label column.")
        {
            Field = CsvReader.LabelColumnField,
            Limit = DataLimit.Classes,
        };
    }

    private TaskKind InferTask()
    {
        if (!_allNumeric)
            return TaskKind.Classification;
        bool fewValues = _distinctValues.Count <= CsvReader.MaxInferredClasses;
        return _allIntegers && fewValues ? TaskKind.Classification : TaskKind.Regression;
    }

    /// <summary>Numeric class labels sorted numerically (so "2" comes before "10"); names are the shortest invariant spelling.</summary>
    private (int[], string[]) NumericClasses()
    {
        double[] distinct = [.. _distinctValues.Order()];
        var indexOf = new Dictionary<double, int>(distinct.Length);
        for (int c = 0; c < distinct.Length; c++)
            indexOf[distinct[c]] = c;
        var indices = new int[Rows];
        int row = 0;
        if (_rowValues is not null)
        {
            foreach (ArraySegment<double> segment in _rowValues.Segments())
                foreach (double value in segment)
                    indices[row++] = indexOf[value + 0.0];
        }
        else
        {
            int[] classOfSpelling = [.. _spellingValues.Select(v => indexOf[v + 0.0])];
            foreach (ArraySegment<int> segment in _rowSpellings!.Segments())
                foreach (int spelling in segment)
                    indices[row++] = classOfSpelling[spelling];
        }
        return (indices, [.. distinct.Select(v => v.ToString(CultureInfo.InvariantCulture))]);
    }

    /// <summary>Text class labels in ordinal order, so the mapping does not depend on the machine's culture.</summary>
    private (int[], string[]) TextClasses()
    {
        string[] names = [.. _spellings.Order(StringComparer.Ordinal)];
        var classOfSpelling = new int[_spellings.Count];
        for (int c = 0; c < names.Length; c++)
            classOfSpelling[_spellingIndex[names[c]]] = c;
        var indices = new int[Rows];
        int row = 0;
        foreach (ArraySegment<int> segment in _rowSpellings!.Segments())
            foreach (int spelling in segment)
                indices[row++] = classOfSpelling[spelling];
        return (indices, names);
    }
}
