namespace BackpropService.Engine.Data;

/// <summary>
/// The bounds a reader enforces on untrusted input, so that a caller can say which of its settings was exceeded
/// (<see cref="DataFormatException.Limit"/>) without reading the message.
/// </summary>
public enum DataLimit
{
    /// <summary>Bytes of text or payload after gunzip (<see cref="CsvReadOptions.MaxBytes"/>).</summary>
    UncompressedBytes,

    /// <summary>Numbers the decoded dataset would hold (<see cref="CsvReadOptions.MaxValues"/>).</summary>
    Values,

    /// <summary>Columns in one CSV row (<see cref="CsvReadOptions.MaxColumns"/>).</summary>
    Columns,

    /// <summary>Characters in one CSV field (<see cref="CsvReadOptions.MaxFieldLength"/>).</summary>
    FieldLength,

    /// <summary>Distinct classes of a label column (<see cref="CsvReadOptions.MaxClasses"/>).</summary>
    Classes,
}
