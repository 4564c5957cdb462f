using System.Globalization;
using BackpropService.Api.Validation;
using BackpropService.Contracts;

namespace BackpropService.Api.Paging;

/// <summary>
/// One page of a list, as the query asks for it: <c>?limit=</c> items (default <see cref="DefaultLimit"/>, at most
/// <see cref="MaxLimit"/>) after the cursor <c>?after=</c> (absent or empty: from the start; an empty <c>?limit=</c> is the default too).
/// </summary>
public sealed record PageRequest(int Limit, PageCursor? After)
{
    public const int DefaultLimit = ListPaging.DefaultLimit;
    public const int MaxLimit = ListPaging.MaxLimit;

    /// <summary>How many items to read: one more than the limit, which only tells that a next page exists.</summary>
    public int ItemsToRead => Limit + 1;

    /// <summary>
    /// The page <paramref name="limit"/> and <paramref name="after"/> ask for in the list named <paramref name="list"/>,
    /// or null with the reasons added to <paramref name="errors"/> under <c>limit</c> and <c>after</c>.
    /// </summary>
    public static PageRequest? Read(string list, string? limit, string? after, ValidationErrors errors)
    {
        int size = DefaultLimit;
        if (!string.IsNullOrEmpty(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
            errors.Add("limit", $"'{limit}' is not accepted here; give a whole number of items per page from 1 to {MaxLimit} (default {DefaultLimit}).");

        PageCursor? cursor = null;
        if (!string.IsNullOrEmpty(after) && (cursor = PageCursor.Decode(list, after)) is null)
            errors.Add("after", NotACursor(list, after));

        return errors.Any ? null : new PageRequest(size, cursor);
    }

    /// <summary>Why <paramref name="after"/> is refused as a cursor of the list named <paramref name="list"/>.</summary>
    public static string NotACursor(string list, string after) =>
        $"'{after}' is not a cursor of this list; pass the X-Next-Cursor header of the previous page of GET /api/{list} unchanged "
        + "(or follow its Link header), or leave it out for the first page.";
}
