using System.Globalization;
using System.Text.Json;

namespace BackpropService.Web.Components.Pages.Sweeps;

/// <summary>How a swept setting's value reads in the ranking and on a chart's x axis.</summary>
public static class SweptValue
{
    /// <summary>A string as it is, a number in short form, anything else (a list of layers) as its JSON.</summary>
    public static string Text(JsonElement? value) => value switch
    {
        null => "—",
        { ValueKind: JsonValueKind.String } v => v.GetString()!,
        { ValueKind: JsonValueKind.Number } v => v.GetDouble().ToString("G6", CultureInfo.InvariantCulture),
        { } v => v.GetRawText(),
    };

    /// <summary>The x of a chart: a number when the value is one (a numeric axis), its text otherwise (categories).</summary>
    public static object ChartX(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : Text(value);
}
