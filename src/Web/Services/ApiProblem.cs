namespace BackpropService.Web.Services;

/// <summary>An RFC 9457 answer from the API: a title and detail, and per-field messages for validation errors.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>
    /// The messages for one field, matched case-insensitively: its own key and, unless <paramref name="exact"/>,
    /// its parts (<c>layers[0]</c>, <c>layers[0].size</c> for <c>layers</c>).
    /// </summary>
    public IEnumerable<string> For(string field, bool exact = false) =>
        Errors.Where(e => Covers(field, exact, e.Key)).SelectMany(e => e.Value);

    /// <summary>The messages that none of the <paramref name="shown"/> fields (matched as <see cref="For"/> does) would show.</summary>
    public IEnumerable<string> Except(IEnumerable<(string Field, bool Exact)> shown)
    {
        var fields = shown.ToList();
        return Errors.Where(e => !fields.Any(f => Covers(f.Field, f.Exact, e.Key))).SelectMany(e => e.Value);
    }

    /// <summary>A one-line summary for places without a field.</summary>
    public string Summary => Detail ?? (Errors.Count > 0 ? string.Join(" ", Errors.SelectMany(e => e.Value)) : Title);

    private static bool Covers(string field, bool exact, string key) =>
        key.Equals(field, StringComparison.OrdinalIgnoreCase)
        || !exact && (key.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase) || key.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase));
}
