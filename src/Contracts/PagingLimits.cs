namespace BackpropService.Contracts;

/// <summary>Items per page of the paged lists (<see cref="ListPaging"/>: jobs, datasets, models, sweeps, keys).</summary>
/// <param name="DefaultLimit">Items per page without <c>?limit=</c>, a count.</param>
/// <param name="MaxLimit">Most items per page, a count; a larger <c>?limit=</c> gets 400 on <c>limit</c>.</param>
public sealed record PagingLimits(int DefaultLimit, int MaxLimit);
