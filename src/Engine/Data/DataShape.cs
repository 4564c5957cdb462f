namespace BackpropService.Engine.Data;

/// <summary>
/// What a training run needs to know about its data before reading it: features (the input size), outputs, and,
/// where known, how many samples (which decides the validation split and the trainer's buffers).
/// </summary>
/// <param name="Name">The data's name for messages (a dataset id), when the caller has one.</param>
public sealed record DataShape(int Features, int Outputs, int? Samples = null, string? Name = null)
{
    /// <summary>The features as channels × height × width (images), or null for a flat vector.</summary>
    public TensorShape? Shape { get; init; }

    public static DataShape Of(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new DataShape(data.Features, data.Outputs, data.Samples, data.Name) { Shape = data.Shape };
    }
}
