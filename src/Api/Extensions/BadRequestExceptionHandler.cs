using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace BackpropService.Api.Extensions;

/// <summary>
/// Turns request-binding failures into RFC 9457 validation problems keyed by the camelCase field
/// (<c>layers[1].activation</c>), with the status the framework chose (400, 413, 415). Anything else
/// falls through to the default 500 answer.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest) return false;

        var (field, message) = Describe(badRequest);
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
    public static (string Field, string Message) Describe(BadHttpRequestException exception)
    {
        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json) return (FieldOf(json.Path), Reason(json));
        }
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return ("body", "Send the body as application/json.");
        if (exception.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase))
            return ("body", "The request needs a JSON body.");
        return ("body", exception.Message);
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    private static string Reason(JsonException json)
    {
        var message = json.Message;
        // The framework's own messages end with location details that help nobody; ours are complete.
        var match = ConvertMessage().Match(message);
        if (match.Success) return $"Expected {Describe(match.Groups["type"].Value)}.";
        int at = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (at > 0) message = message[..at];
        if (json.LineNumber is not null && json.BytePositionInLine is not null && json.Path is null or "$")
            message += $" (line {json.LineNumber + 1}, position {json.BytePositionInLine + 1})";
        return message.Trim();
    }

    private static string Describe(string type)
    {
        var name = type.Split('.')[^1];
        if (name.EndsWith("[]", StringComparison.Ordinal) || name.StartsWith("IReadOnlyList", StringComparison.Ordinal)
            || name.StartsWith("List", StringComparison.Ordinal))
            return "an array";
        return name switch
        {
            "Int32" or "Int64" or "UInt64" or "UInt32" or "Nullable`1[System.Int32]" => "a whole number",
            "Double" or "Single" or "Decimal" => "a number",
            "String" => "a string",
            "Boolean" => "true or false",
            _ when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) => "a whole number",
            _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) => "a number",
            _ when type.Contains("[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal) => "an array",
            _ => "an object",
        };
    }

    [GeneratedRegex(@"^The JSON value could not be converted to (?<type>[^ ]+)\.")]
    private static partial Regex ConvertMessage();
}
