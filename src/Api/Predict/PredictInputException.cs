namespace BackpropService.Api.Predict;

/// <summary>A predict body that cannot be used; answered as a 400 problem naming <see cref="Field"/>.</summary>
public sealed class PredictInputException(string field, string message) : Exception(message)
{
    /// <summary>The field concerned, as in the JSON contract (<c>inputs[3]</c>), or <c>body</c>.</summary>
    public string Field { get; } = field;
}
