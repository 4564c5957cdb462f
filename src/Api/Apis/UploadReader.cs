using BackpropService.Api.Mapping;
using BackpropService.Api.Options;
using BackpropService.Engine;
using BackpropService.Engine.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Features;

namespace BackpropService.Api.Apis;

/// <summary>Reads uploads (a multipart form, a model file) within the upload limit, turning every way they can go wrong into a 4xx answer.</summary>
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

    /// <summary>
    /// The raw body as a stream, limited to the upload size (the server stops reading past it); null with a 413 when
    /// the declared length is already larger.
    /// </summary>
    public static (Stream? Body, IResult? Problem) OpenBody(HttpRequest request, ServiceLimits limits)
    {
        if (request.ContentLength > limits.MaxUploadBytes) return (null, ApiProblems.TooLarge(limits.MaxUploadBytes));
        LimitBody(request.HttpContext, limits.MaxUploadBytes);
        return (request.Body, null);
    }

    /// <summary>
    /// Reads a model file from <paramref name="source"/> (a raw body or a form's file) within the upload limit. The
    /// network shape in its first bytes is held against the limits a job's network has (the engine's
    /// <see cref="NetworkShape.Check"/> under <c>Limits:MaxLayers</c>, <c>MaxLayerSize</c>, <c>MaxParameters</c>)
    /// before the rest, the weights, is read: a file too large for them is refused after a few hundred bytes, not after
    /// it has been received and its network allocated. Null with the problem to answer with otherwise.
    /// </summary>
    public static async Task<(TrainedModel? Model, IResult? Problem)> ReadModelFileAsync(
        Stream source, ServiceLimits limits, CancellationToken cancellationToken)
    {
        try
        {
            var start = new byte[TrainedModel.ShapeBytes];
            int startLength = await source.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, cancellationToken);
            if (startLength == 0) return (null, FileProblem("The model file is empty."));
            var (shape, fileLength) = TrainedModel.ReadShape(start.AsSpan(0, startLength));
            if (shape.Check(limits.ToEngine().Network, inputsField: "inputs") is [_, ..] violations)
                return (null, FileProblem([.. violations.Select(v =>
                    $"The model is larger than this service accepts for a job (Limits:MaxLayers, Limits:MaxLayerSize, Limits:MaxParameters): {v.Reason}.")]));
            if (fileLength > limits.MaxUploadBytes) return (null, ApiProblems.TooLarge(limits.MaxUploadBytes));

            // The buffer grows with the bytes that arrive, not with the length the header claims.
            using var file = new MemoryStream();
            file.Write(start, 0, startLength);
            var chunk = new byte[81_920];
            for (int read; (read = await source.ReadAsync(chunk, cancellationToken)) > 0;)
            {
                if (file.Length + read > limits.MaxUploadBytes) return (null, ApiProblems.TooLarge(limits.MaxUploadBytes));
                file.Write(chunk, 0, read);
            }
            // Reads only our own format, checks it fully, and never instantiates a type named in the file.
            return (TrainedModel.FromBytes(file.GetBuffer().AsSpan(0, (int)file.Length)), null);
        }
        catch (DataFormatException e)
        {
            return (null, FileProblem(e.Message));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiProblems.TooLarge(limits.MaxUploadBytes));
        }
    }

    private static ValidationProblem FileProblem(params string[] messages) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = messages });

    private static void LimitBody(HttpContext context, long limit)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit + 64 * 1024;
    }
}
