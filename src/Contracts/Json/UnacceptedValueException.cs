using System.Text.Json;

namespace BackpropService.Contracts.Json;

/// <summary>
/// A JSON value our converters refuse, with a complete message (it lists the accepted values), so a server can
/// pass the message on as it is instead of describing the expected type itself.
/// </summary>
public sealed class UnacceptedValueException : JsonException
{
    public UnacceptedValueException(string message) : base(message) { }

    public UnacceptedValueException() { }

    public UnacceptedValueException(string message, Exception inner) : base(message, inner) { }
}
