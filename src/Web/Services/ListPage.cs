namespace BackpropService.Web.Services;

/// <summary>One page of a list the API pages: its items, and the cursor of the next page (null on the last).</summary>
public sealed record ListPage<T>(List<T> Items, string? NextCursor);
