namespace BackpropService.Contracts;

/// <summary>
/// How the API pages its lists (<c>GET /api/jobs</c>, <c>/api/datasets</c>, <c>/api/models</c>, <c>/api/keys</c>):
/// <c>?limit=</c> items after the cursor <c>?after=</c>. The body is a JSON array; a page with more after it carries
/// the next cursor in <see cref="NextCursorHeader"/> and the next page's URL in <c>Link: &lt;…&gt;; rel="next"</c>.
/// </summary>
public static class ListPaging
{
    /// <summary>Items per page without <c>?limit=</c>.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Most items per page.</summary>
    public const int MaxLimit = 500;

    public const string NextCursorHeader = "X-Next-Cursor";
}
