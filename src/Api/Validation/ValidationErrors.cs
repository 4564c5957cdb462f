namespace BackpropService.Api.Validation;

/// <summary>Validation failures keyed by the camelCase JSON field they concern (<c>layers[1].size</c>).</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages)) _errors[field] = messages = [];
        messages.Add(message);
        return this;
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public static Dictionary<string, string[]> One(string field, string message) => new() { [field] = [message] };
}
