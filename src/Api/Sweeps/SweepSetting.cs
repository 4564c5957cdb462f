using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;

namespace BackpropService.Api.Sweeps;

/// <summary>
/// A setting a sweep varies: a path into the job request as its JSON spells it, fields by name and list items by
/// 0-based index: <c>learningRate</c>, <c>layers[0].size</c>, <c>layers[1].activation</c>, <c>layers[0].filters</c>, a whole layer
/// (<c>layers[1]</c>) or whole architectures (<c>layers</c>). The path is checked against the request's serialization
/// contract, so it names a field that exists and knows whether it holds a whole number. A job's stored options use the
/// request's field names, so the same path reads a job's value back.
/// </summary>
public sealed class SweepSetting
{
    /// <summary>Fields a sweep does not vary: it names its jobs itself, and compares settings on one dataset.</summary>
    private static readonly string[] Fixed = ["name", "datasetId"];

    private readonly IReadOnlyList<Segment> _segments;

    private SweepSetting(string path, IReadOnlyList<Segment> segments, Type type)
    {
        Path = path;
        _segments = segments;
        Type = type;
    }

    public string Path { get; }

    /// <summary>What the setting holds (without <see cref="Nullable{T}"/>): <c>double</c>, <c>int</c>, an enum, a layer, a list…</summary>
    public Type Type { get; }

    public bool IsNumber => Type.GetTypeCode(Type) is >= TypeCode.SByte and <= TypeCode.Decimal && !Type.IsEnum;

    public bool IsWholeNumber => Type.GetTypeCode(Type) is >= TypeCode.SByte and <= TypeCode.UInt64 && !Type.IsEnum;

    /// <summary>The setting <paramref name="path"/> names, or null with the reason in <paramref name="problem"/>.</summary>
    public static SweepSetting? Parse(string path, out string? problem)
    {
        var request = ContractJson.Options.GetTypeInfo(typeof(SubmitJobRequest));
        var segments = Split(path);
        if (segments is null || segments.Count == 0 || segments[0].Property is null)
        {
            problem = $"'{path}' is not a setting path; write fields by name and list items by index, e.g. learningRate or layers[0].size. Settings: {Settable(request)}.";
            return null;
        }
        if (Fixed.Contains(segments[0].Property))
        {
            problem = $"A sweep does not vary '{segments[0].Property}': it names its jobs itself and compares settings on the base request's dataset. Settings: {Settable(request)}.";
            return null;
        }

        JsonTypeInfo info = request;
        string at = "";
        foreach (var segment in segments)
        {
            if (segment.Property is { } name)
            {
                var property = info.Kind == JsonTypeInfoKind.Object ? info.Properties.FirstOrDefault(p => p.Name == name) : null;
                if (property is null)
                {
                    problem = at.Length == 0
                        ? $"There is no setting '{name}'. Settings: {Settable(request)}."
                        : $"'{at}' has no field '{name}'" + (info.Kind == JsonTypeInfoKind.Object ? $"; it has: {string.Join(", ", info.Properties.Select(p => p.Name))}." : ".");
                    return null;
                }
                info = ContractJson.Options.GetTypeInfo(property.PropertyType);
                at = at.Length == 0 ? name : $"{at}.{name}";
            }
            else
            {
                if (info.Kind != JsonTypeInfoKind.Enumerable || info.ElementType is null)
                {
                    problem = $"'{at}' is not a list, so it has no item [{segment.Index}].";
                    return null;
                }
                info = ContractJson.Options.GetTypeInfo(info.ElementType);
                at = $"{at}[{segment.Index}]";
            }
        }
        problem = null;
        return new SweepSetting(at, segments, Nullable.GetUnderlyingType(info.Type) ?? info.Type);
    }

    /// <summary>
    /// Writes <paramref name="value"/> into the job request <paramref name="request"/> at this path. Returns null, or why
    /// the request has no such place (a layer index past its layers).
    /// </summary>
    public string? Apply(JsonObject request, JsonNode? value)
    {
        JsonNode node = request;
        string at = "";
        for (int i = 0; i < _segments.Count; i++)
        {
            var segment = _segments[i];
            bool last = i == _segments.Count - 1;
            JsonNode? next;
            if (segment.Property is { } name)
            {
                if (node is not JsonObject item) return $"base.{at} is not an object, so there is no {Path} to set.";
                if (last)
                {
                    item[name] = value?.DeepClone();
                    return null;
                }
                next = item[name];
                at = at.Length == 0 ? name : $"{at}.{name}";
            }
            else
            {
                int index = segment.Index!.Value;
                if (node is not JsonArray list || index >= list.Count)
                    return $"base.{at} has {(node as JsonArray)?.Count ?? 0} items, so there is no {at}[{index}] to set.";
                if (last)
                {
                    list[index] = value?.DeepClone();
                    return null;
                }
                next = list[index];
                at = $"{at}[{index}]";
            }
            if (next is null) return $"base.{at} is not given, so there is no {Path} to set.";
            node = next;
        }
        return null;
    }

    /// <summary>The value at this path in a job's stored options (JSON); null when it has none.</summary>
    public JsonElement? Read(JsonNode options)
    {
        JsonNode? node = options;
        foreach (var segment in _segments)
        {
            node = segment.Property is { } name
                ? (node as JsonObject)?[name]
                : node is JsonArray list && segment.Index < list.Count ? list[segment.Index!.Value] : null;
            if (node is null) return null;
        }
        return JsonSerializer.SerializeToElement(node);
    }

    private static string Settable(JsonTypeInfo request) =>
        string.Join(", ", request.Properties.Select(p => p.Name).Where(name => !Fixed.Contains(name))) + ", and in a layer: layers[i].size, layers[i].activation (conv2d: layers[i].filters, .kernel, .stride, .padding; dropout: layers[i].rate)";

    /// <summary>"layers[0].size" → layers, [0], size; null when it is not of that form.</summary>
    private static List<Segment>? Split(string path)
    {
        var segments = new List<Segment>();
        int i = 0;
        while (i < path.Length)
        {
            if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                if (end < 0 || segments.Count == 0
                    || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                    || index > 100_000)
                    return null;
                segments.Add(new Segment(null, index));
                i = end + 1;
                continue;
            }
            if (segments.Count > 0)
            {
                if (path[i] != '.') return null;
                i++;
            }
            int start = i;
            while (i < path.Length && char.IsAsciiLetterOrDigit(path[i])) i++;
            if (i == start) return null;
            segments.Add(new Segment(path[start..i], null));
        }
        return segments;
    }

    /// <summary>A field name or a list index.</summary>
    private sealed record Segment(string? Property, int? Index);
}
