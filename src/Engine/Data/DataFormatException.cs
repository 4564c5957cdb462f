namespace BackpropService.Engine.Data;

/// <summary>
/// Input data (IDX, CSV, model file) that cannot be read. The message says what is wrong and where,
/// in words a person can act on; the service turns it into a 400 answer.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string message) : base(message) { }

    public DataFormatException(string message, Exception inner) : base(message, inner) { }

    public DataFormatException() { }
}
