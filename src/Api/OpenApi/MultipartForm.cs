namespace BackpropService.Api.OpenApi;

/// <summary>Endpoint metadata for handlers that read a multipart form themselves: the fields to document.</summary>
public sealed record MultipartForm(IReadOnlyList<FormField> Fields);

/// <summary>A form field; <see cref="IsFile"/> fields get a file picker in Swagger UI.</summary>
public sealed record FormField(string Name, string Description, bool IsFile, bool Required = false, string? Example = null);
