namespace BackpropService.Api.Predict;

/// <summary>
/// The model's output for a row is not a finite number (an input so large that the network's float arithmetic
/// overflows, e.g. an identity layer given 3e38). Answered with a 422 naming <see cref="Row"/>, in both formats.
/// </summary>
public sealed class NonFiniteOutputException(int row, int output, float value)
    : Exception($"The model's output {output} for row {row} is {value}, not a finite number.")
{
    public int Row { get; } = row;

    public int Output { get; } = output;

    public float Value { get; } = value;

    /// <summary>The field named in the answer, as in the JSON contract.</summary>
    public string Field => $"inputs[{Row}]";
}
