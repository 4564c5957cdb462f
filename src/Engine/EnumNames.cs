namespace BackpropService.Engine;

/// <summary>Enum values spelled the way users type them (camelCase), for error messages.</summary>
public static class EnumNames
{
    public static string ToCamelCase<TEnum>(this TEnum value) where TEnum : struct, Enum
    {
        string name = value.ToString();
        return name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>"a, b or c": every accepted value, camelCase.</summary>
    public static string Accepted<TEnum>() where TEnum : struct, Enum
    {
        string[] names = Enum.GetValues<TEnum>().Select(v => v.ToCamelCase()).ToArray();
        return names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
    }
}
