using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BackpropService.Api.Extensions;

/// <summary>
/// Writes a health report as JSON: the overall status and each check's status, description and data, so that whoever
/// reads <c>/health/ready</c> (an operator, a container's health log) sees why the service is not ready. Exceptions
/// are left out: the endpoint is anonymous, and the service log has them.
/// </summary>
public static class HealthReportJson
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        // Into the response's pipe: nothing is written to the socket synchronously.
        using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            if (entry.Description is { } description) json.WriteString("description", description);
            json.WritePropertyName("data");
            JsonSerializer.Serialize(json, entry.Data, JsonSerializerOptions.Web);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
