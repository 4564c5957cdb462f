using BackpropService.Api.Http;
using BackpropService.Api.Options;
using Microsoft.AspNetCore.Http.Features;

namespace BackpropService.Api.Apis;

/// <summary>Reads a multipart form within the upload limit, turning every way it can go wrong into a 4xx answer.</summary>
public static class UploadReader
{
    /// <summary>The form, or the problem to answer with (413 past the limit, 415 not multipart, 400 malformed).</summary>
    public static async Task<(IFormCollection? Form, IResult? Problem)> ReadFormAsync(
        HttpRequest request, ServiceLimits limits, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limits.MaxUploadBytes) return (null, ApiProblems.TooLarge(limits.MaxUploadBytes));
        if (!request.HasFormContentType || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
            return (null, ApiProblems.UnsupportedMediaType("Send the upload as multipart/form-data."));
        LimitBody(request.HttpContext, limits.MaxUploadBytes);
        try
        {
            var form = await request.ReadFormAsync(new FormOptions
            {
                MultipartBodyLengthLimit = limits.MaxUploadBytes,
                ValueLengthLimit = 1024 * 1024,
            }, cancellationToken);
            return (form, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiProblems.TooLarge(limits.MaxUploadBytes));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = [$"The multipart form could not be read: {e.Message}"] }));
        }
    }

    /// <summary>Reads a raw body (for a model file) within the upload limit; null with a problem past it.</summary>
    public static async Task<(byte[]? Body, IResult? Problem)> ReadBodyAsync(
        HttpRequest request, ServiceLimits limits, CancellationToken cancellationToken)
    {
        LimitBody(request.HttpContext, limits.MaxUploadBytes);
        try
        {
            using var body = await RequestBody.ReadAsync(request, limits.MaxUploadBytes, cancellationToken);
            return (body.Span.ToArray(), null);
        }
        catch (RequestBodyTooLargeException)
        {
            return (null, ApiProblems.TooLarge(limits.MaxUploadBytes));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiProblems.TooLarge(limits.MaxUploadBytes));
        }
    }

    private static void LimitBody(HttpContext context, long limit)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit + 64 * 1024;
    }
}
