namespace BackpropService.Web.Services;

/// <summary>An RFC 9457 answer from the API: a title and detail, and per-field messages for validation errors.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>The messages for one field (matched case-insensitively, also as a prefix such as <c>layers[0]</c>).</summary>
    public IEnumerable<string> For(string field) => Errors
        .Where(e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase)
            || e.Key.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase)
            || e.Key.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase))
        .SelectMany(e => e.Value);

    /// <summary>A one-line summary for places without a field.</summary>
    public string Summary => Detail ?? (Errors.Count > 0 ? string.Join(" ", Errors.SelectMany(e => e.Value)) : Title);
}
