using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace BackpropService.Api.Extensions;

/// <summary>
/// Turns request-binding failures into RFC 9457 validation problems keyed by the camelCase field
/// (<c>layers[1].activation</c>, from <see cref="JsonException.Path"/>), with the status the framework chose
/// (<see cref="BadHttpRequestException.StatusCode"/>: 400, 413, 415). Anything else falls through to the default 500 answer.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails, IOptions<JsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest) return false;

        var (field, message) = Describe(badRequest, httpContext, json.Value.SerializerOptions);
        httpContext.Response.StatusCode = badRequest.StatusCode;
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = badRequest.StatusCode,
            Title = badRequest.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => "The request is too large.",
                StatusCodes.Status415UnsupportedMediaType => "Unsupported content type.",
                _ => "The request could not be read.",
            },
            Detail = $"{field}: {message}",
        };
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>The field (JSON path without <c>$.</c>) and a reason a person can act on.</summary>
    private static (string Field, string Message) Describe(BadHttpRequestException exception, HttpContext context, JsonSerializerOptions options)
    {
        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json) return (FieldOf(json.Path), Reason(json, context, options));
        }
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return ("body", "Send the body as application/json.");
        if (context.Request.ContentLength == 0)
            return ("body", "The request needs a JSON body.");
        return ("body", exception.Message);
    }

    /// <summary>The field a JSON path names (<c>$.layers[1].size</c> → <c>layers[1].size</c>; the root → <c>body</c>).</summary>
    public static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    private static string Reason(JsonException json, HttpContext context, JsonSerializerOptions options) =>
        Reason(json, context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType, options);

    /// <summary>Why <paramref name="json"/> could not be read as <paramref name="bodyType"/>, in words a caller can act on.</summary>
    public static string Reason(JsonException json, Type? bodyType, JsonSerializerOptions options)
    {
        // Our converters' messages are complete (they list the accepted values).
        if (json is UnacceptedValueException) return json.Message;

        // The reader found text that is not JSON: its own exception says what and where.
        if (json.InnerException is JsonException syntax)
        {
            string message = syntax.Message;
            int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (at > 0) message = message[..at].Trim();
            return $"{message} (line {json.LineNumber + 1}, position {json.BytePositionInLine + 1})";
        }

        // A value of the wrong kind: say what the field holds, from the type the endpoint reads.
        return bodyType is not null && TypeAt(options.GetTypeInfo(bodyType), json.Path, options) is { } type
            ? $"Expected {Describe(type)}."
            : "The value has the wrong type.";
    }

    /// <summary>Follows a JSON path (<c>$.layers[1].size</c>) through the serializer's contract of the body type.</summary>
    private static JsonTypeInfo? TypeAt(JsonTypeInfo info, string? path, JsonSerializerOptions options)
    {
        if (path is null || !path.StartsWith('$')) return null;
        int i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                string name = path[(i + 1)..(end < 0 ? path.Length : end)];
                if (info.Kind != JsonTypeInfoKind.Object) return null;
                var property = info.Properties.FirstOrDefault(p => p.Name == name);
                if (property is null) return null;
                info = options.GetTypeInfo(property.PropertyType);
                i = end < 0 ? path.Length : end;
            }
            else if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                if (end < 0 || info.Kind != JsonTypeInfoKind.Enumerable || info.ElementType is null) return null;
                info = options.GetTypeInfo(info.ElementType);
                i = end + 1;
            }
            else return null;
        }
        return info;
    }

    private static string Describe(JsonTypeInfo info)
    {
        Type type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type.IsEnum) return $"one of: {string.Join(", ", WireName.All(type))}";
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 => "a whole number",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            TypeCode.String => "a string",
            TypeCode.Boolean => "true or false",
            _ => info.Kind == JsonTypeInfoKind.Enumerable ? "an array" : "an object",
        };
    }
}
