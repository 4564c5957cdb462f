using BackpropService.Api.Persistence;

namespace BackpropService.Api.Paging;

/// <summary>
/// Keyset paging over (CreatedAt, Id): a page is the rows after the cursor's key in the list's order. Unlike an
/// offset, a key stays put when rows are added or deleted between pages, so a walk sees every row that exists
/// throughout exactly once.
/// </summary>
public static class KeysetPaging
{
    /// <summary>Newest first: the first <paramref name="count"/> rows created before the key of <paramref name="after"/>.</summary>
    public static IQueryable<T> NewestFirst<T>(this IQueryable<T> rows, PageCursor? after, int count) where T : class, IListedEntity
    {
        if (after is not null)
            rows = rows.Where(r => r.CreatedAt < after.CreatedAt || r.CreatedAt == after.CreatedAt && r.Id.CompareTo(after.Id) < 0);
        return rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(count);
    }

    /// <summary>Oldest first: the first <paramref name="count"/> rows created after the key of <paramref name="after"/>.</summary>
    public static IQueryable<T> OldestFirst<T>(this IQueryable<T> rows, PageCursor? after, int count) where T : class, IListedEntity
    {
        if (after is not null)
            rows = rows.Where(r => r.CreatedAt > after.CreatedAt || r.CreatedAt == after.CreatedAt && r.Id.CompareTo(after.Id) > 0);
        return rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Take(count);
    }
}
