namespace BackpropService.Engine;

/// <summary>
/// Engine enum values spelled the way users type them (camelCase of the member name), for the engine's own messages.
/// The engine knows nothing of the wire, so its members are spelled to give the service's wire names
/// (<c>OptimizerKind.Rmsprop</c> → <c>rmsprop</c>); a service test holds every mapped value to that.
/// </summary>
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
