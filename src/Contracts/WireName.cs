using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackpropService.Contracts;

/// <summary>
/// The one spelling of an enum value, on the wire and on screen: the name a
/// <see cref="JsonStringEnumMemberNameAttribute"/> gives (<c>rmsprop</c>), otherwise the member name in camelCase
/// (<c>leakyRelu</c>). The JSON converter, the OpenAPI schema, validation messages and the dashboard all ask here,
/// so a value reads the same wherever a person meets it.
/// </summary>
public static class WireName
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        // A value outside the enum (a cast number) has no name; its digits are the most honest spelling.
        Names<TEnum>.ByValue.TryGetValue(value, out string? name) ? name : value.ToString();

    /// <summary>Every value's name, in the order the enum declares them.</summary>
    public static IReadOnlyList<string> All<TEnum>() where TEnum : struct, Enum => Names<TEnum>.InOrder;

    /// <summary>Every value's name, for callers that know the enum only as a <see cref="Type"/> (the OpenAPI schema).</summary>
    public static IReadOnlyList<string> All(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        if (!enumType.IsEnum) throw new ArgumentException($"{enumType} is not an enum.", nameof(enumType));
        return Fields(enumType).Select(OfField).ToArray();
    }

    /// <summary>The value named <paramref name="text"/> (its wire name, case-insensitively); false for anything else, digits included.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var (candidate, name) in Names<TEnum>.ByValue)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>"a, b, c": every accepted value, for messages that tell a caller what to send instead.</summary>
    public static string Accepted<TEnum>() where TEnum : struct, Enum => string.Join(", ", Names<TEnum>.InOrder);

    private static FieldInfo[] Fields(Type enumType) => enumType.GetFields(BindingFlags.Public | BindingFlags.Static);

    private static string OfField(FieldInfo field) =>
        field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(field.Name);

    /// <summary>Reflection once per enum type.</summary>
    private static class Names<TEnum> where TEnum : struct, Enum
    {
        public static readonly string[] InOrder = Fields(typeof(TEnum)).Select(OfField).ToArray();

        public static readonly FrozenDictionary<TEnum, string> ByValue = Fields(typeof(TEnum))
            .DistinctBy(field => (TEnum)field.GetValue(null)!)
            .ToFrozenDictionary(field => (TEnum)field.GetValue(null)!, OfField);
    }
}
