namespace BackpropService.Api.Predict;

/// <summary>A predict body that cannot be used; answered as a problem (400 unless said otherwise) naming <see cref="Field"/>.</summary>
public sealed class PredictInputException(string field, string message, int statusCode = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The field concerned, as in the JSON contract (<c>inputs[3]</c>), or <c>body</c>.</summary>
    public string Field { get; } = field;
}
