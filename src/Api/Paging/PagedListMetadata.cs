namespace BackpropService.Api.Paging;

/// <summary>
/// Marks an endpoint that answers one page of a list (<see cref="PagedList{T}"/>), so the OpenAPI document
/// describes its <c>limit</c> and <c>after</c> parameters and its next-page headers.
/// </summary>
public sealed class PagedListMetadata
{
    public static PagedListMetadata Instance { get; } = new();

    private PagedListMetadata() { }
}
