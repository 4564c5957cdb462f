namespace BackpropService.Api.Http;

/// <summary>A request body is larger than the limit its endpoint allows (answered with 413).</summary>
public sealed class RequestBodyTooLargeException(long limit) : Exception($"The request body is larger than the limit of {limit:N0} bytes.")
{
    public long Limit { get; } = limit;
}
