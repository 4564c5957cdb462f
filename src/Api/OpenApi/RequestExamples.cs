namespace BackpropService.Api.OpenApi;

/// <summary>Endpoint metadata: named example bodies that Swagger UI offers in its drop-down.</summary>
public sealed record RequestExamples(string ContentType, IReadOnlyList<RequestExample> Examples);

/// <summary>One example body (serialized with the service's JSON conventions).</summary>
public sealed record RequestExample(string Name, string Summary, object Value);
