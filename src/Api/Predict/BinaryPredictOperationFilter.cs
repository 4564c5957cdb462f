using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackpropService.Api.Predict;

/// <summary>Describes the binary predict bodies in Swagger as what they are: bytes, not the JSON schema.</summary>
public sealed class BinaryPredictOperationFilter : IOperationFilter
{
    private const string RequestSummary =
        "16-byte header (magic 'BPF1', uint32 rows, uint32 columns, uint16 model name bytes, uint16 flags = 0), "
        + "the model id or name in UTF-8, then rows × columns little-endian float32.";

    private const string ResponseSummary =
        "16-byte header (magic 'BPF1', uint32 rows, uint32 outputs, uint16 model id bytes, uint16 flags: bit 0 = class "
        + "indices follow), the model id in UTF-8, rows × outputs little-endian float32, then rows × int32 class indices.";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody?.Content is { } request)
        {
            foreach (var (mediaType, media) in request)
                if (IsBinary(mediaType) && media is OpenApiMediaType editable)
                    editable.Schema = Bytes(RequestSummary);
        }
        if (operation.Responses is null) return;
        foreach (var (_, response) in operation.Responses)
        {
            if (response.Content is null) continue;
            foreach (var (mediaType, media) in response.Content)
                if (IsBinary(mediaType) && media is OpenApiMediaType editable)
                    editable.Schema = Bytes(ResponseSummary);
        }
    }

    private static bool IsBinary(string mediaType) =>
        mediaType is BinaryPredictFormat.MediaType or BinaryPredictFormat.OctetStream;

    private static OpenApiSchema Bytes(string description) =>
        new() { Type = JsonSchemaType.String, Format = "binary", Description = description };
}
