namespace BackpropService.Engine.Training;

/// <summary>
/// Training options that cannot work. <see cref="ArgumentException.ParamName"/> is the option's JSON
/// field (for example <c>layers[1].activation</c>) and the message says why, so the service can answer
/// with a problem-details response that names the field.
/// </summary>
public sealed class TrainingOptionsException : ArgumentException
{
    public TrainingOptionsException(string field, string reason) : base(reason, field) => Reason = reason;

    public TrainingOptionsException() { Reason = Message; }

    public TrainingOptionsException(string message, Exception inner) : base(message, inner) { Reason = message; }

    /// <summary>The reason alone, without the field name appended by <see cref="ArgumentException.Message"/>.</summary>
    public string Reason { get; }
}
