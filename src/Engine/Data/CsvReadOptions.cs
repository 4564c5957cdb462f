namespace BackpropService.Engine.Data;

/// <summary>How <see cref="CsvReader"/> turns a CSV file into a dataset.</summary>
public sealed record CsvReadOptions
{
    /// <summary>The dataset's name.</summary>
    public string Name { get; init; } = "csv";

    /// <summary>
    /// The column holding the targets: a header name, or a 0-based column index written as a string
    /// ("3"). A header name wins when a header happens to contain a column named like a number.
    /// Null or empty means the last column.
    /// </summary>
    public string? LabelColumn { get; init; }

    /// <summary>
    /// Classification or regression; null infers it from the labels: any non-numeric label means
    /// classification, integer labels with at most <see cref="CsvReader.MaxInferredClasses"/> distinct
    /// values mean classification, anything else regression.
    /// </summary>
    public TaskKind? Task { get; init; }

    /// <summary>
    /// The features as channels × height × width, in column order (the label column left out); null for a flat vector.
    /// Its values must number the feature columns exactly, which is checked on the first row, before the rows are read.
    /// </summary>
    public TensorShape? Shape { get; init; }

    /// <summary>Most bytes of CSV text read (after gunzip); more is refused.</summary>
    public long MaxBytes { get; init; } = 1_000_000_000;

    /// <summary>Most distinct classes a classification label column may have.</summary>
    public int MaxClasses { get; init; } = 1000;

    /// <summary>
    /// Most numbers the dataset may hold once decoded: every feature, every target (one per class for
    /// classification, one-hot) and each sample's class index, 4 bytes each. Counted as rows arrive, so a
    /// file past it is refused after reading about this many values, never after reading the whole file.
    /// </summary>
    public long MaxValues { get; init; } = 250_000_000;

    /// <summary>Most columns in one row (features plus the label). Bounds what a single row can make the reader hold.</summary>
    public int MaxColumns { get; init; } = 20_000;

    /// <summary>Most characters in one field, quoted or not (leading spaces of an unquoted field are not counted).</summary>
    public int MaxFieldLength { get; init; } = 1000;
}
