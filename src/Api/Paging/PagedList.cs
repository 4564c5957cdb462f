using System.Reflection;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace BackpropService.Api.Paging;

/// <summary>
/// <c>200</c> with one page of a list as a plain JSON array (the body every client already reads). When more
/// items follow, the answer says where the next page starts: <c>X-Next-Cursor</c> holds the cursor for
/// <c>?after=</c>, and <c>Link: &lt;…&gt;; rel="next"</c> (RFC 8288) the same request with it, other query
/// parameters kept. The last page has neither.
/// </summary>
public sealed class PagedList<T> : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<List<T>>
{
    private PagedList(List<T> items, string? nextCursor)
    {
        Items = items;
        NextCursor = nextCursor;
    }

    public List<T> Items { get; }

    /// <summary>The cursor of the next page, or null on the last page.</summary>
    public string? NextCursor { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;
    object? IValueHttpResult.Value => Items;
    List<T>? IValueHttpResult<List<T>>.Value => Items;

    /// <summary>
    /// The page from <paramref name="items"/>, read in the list's order with <see cref="PageRequest.ItemsToRead"/>:
    /// one item more than the limit, which only tells that a next page exists. That page starts after the key
    /// (<paramref name="keyOf"/>) of this page's last item.
    /// </summary>
    public static PagedList<T> From(IReadOnlyList<T> items, PageRequest page, string list, Func<T, (DateTime CreatedAt, string Id)> keyOf)
    {
        if (items.Count <= page.Limit) return new PagedList<T>([.. items], nextCursor: null);
        var shown = items.Take(page.Limit).ToList();
        var (createdAt, id) = keyOf(shown[^1]);
        return new PagedList<T>(shown, new PageCursor(list, createdAt, id).Encode());
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (NextCursor is { } cursor)
        {
            var request = httpContext.Request;
            var query = QueryHelpers.ParseQuery(request.QueryString.Value);
            query["after"] = cursor;
            string next = QueryHelpers.AddQueryString((request.PathBase + request.Path).ToString(),
                query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))));
            httpContext.Response.Headers[ListPaging.NextCursorHeader] = cursor;
            httpContext.Response.Headers.Link = new StringValues($"<{next}>; rel=\"next\"");
        }
        return TypedResults.Ok(Items).ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(List<T>), ["application/json"]));
        builder.Metadata.Add(PagedListMetadata.Instance);
    }
}
