using System.Globalization;
using System.Text.RegularExpressions;

namespace BackpropService.Api.Models;

/// <summary>
/// How callers name a model: <c>&lt;id&gt;</c>, <c>&lt;name&gt;</c> (its latest version), <c>&lt;name&gt;@&lt;alias&gt;</c>
/// or <c>&lt;name&gt;@&lt;version&gt;</c>. The text after the last <c>@</c> is a version when it is a number, else an
/// alias; aliases must start with a letter, so <c>name@3</c> always means version 3.
/// </summary>
public sealed partial record ModelReference(string Name, string? Alias, int? Version)
{
    public const char Separator = '@';

    /// <summary>The rule an alias name must follow, as said to a person.</summary>
    /// <summary>Why a new model name may not hold the separator: <c>x@3</c> would then shadow version 3 of <c>x</c>.</summary>
    public const string NameWithAtSign =
        "A model name may not contain '@': 'name@alias' and 'name@version' are how callers pin a model.";

    public const string AliasRule = "An alias starts with a letter, then up to 63 letters, digits, '_' or '-' (for example 'prod' or 'canary-2').";

    /// <summary>
    /// <c>name@alias</c> or <c>name@version</c>; null when <paramref name="text"/> has no <c>@</c>, or nothing
    /// usable on either side of its last one (then it can only be an id or a plain name).
    /// </summary>
    public static ModelReference? TryParse(string text)
    {
        int at = text.LastIndexOf(Separator);
        if (at <= 0 || at == text.Length - 1) return null;
        string name = text[..at], selector = text[(at + 1)..];
        if (int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            return version > 0 ? new ModelReference(name, null, version) : null;
        return IsAliasName(selector) ? new ModelReference(name, selector, null) : null;
    }

    public static bool IsAliasName(string alias) => AliasPattern().IsMatch(alias);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();
}
