using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace BackpropService.Api.Paging;

/// <summary>
/// Where a list's next page starts: the sort key (<see cref="CreatedAt"/>, <see cref="Id"/>) of the last item of
/// the page before, and the list it belongs to. Clients see it as an opaque string and pass it back unchanged as
/// <c>?after=</c>; the next page starts after that key even if the item itself was deleted meanwhile.
/// </summary>
public sealed record PageCursor(string List, DateTime CreatedAt, string Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{List}|{CreatedAt.Ticks}|{Id}")));

    /// <summary>The cursor <paramref name="text"/> stands for, or null when it is not one that <paramref name="list"/> gave out.</summary>
    public static PageCursor? Decode(string list, string text)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
        string[] parts;
        try
        {
            parts = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).Split('|', 3);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        if (parts.Length != 3 || parts[0] != list || parts[2].Length == 0) return null;
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)
            || ticks > DateTime.MaxValue.Ticks)
            return null;
        return new PageCursor(list, new DateTime(ticks, DateTimeKind.Utc), parts[2]);
    }
}
