namespace BackpropService.Engine.Data;

/// <summary>
/// Input data (IDX, CSV, model file) that cannot be read. The message says what is wrong and where,
/// in words a person can act on; the service turns it into a 400 answer on <see cref="Field"/>.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string message) : base(message) { }

    public DataFormatException(string message, Exception inner) : base(message, inner) { }

    public DataFormatException() { }

    /// <summary>
    /// The input the problem is in, by its upload field name where the reader knows it (<c>file</c>, <c>labelColumn</c>,
    /// <c>images</c>, <c>labels</c>); null when the caller knows better (a model file, a checkpoint).
    /// </summary>
    public string? Field { get; init; }

    /// <summary>The bound the input went past, when that is the problem; null when the input is malformed.</summary>
    public DataLimit? Limit { get; init; }
}
