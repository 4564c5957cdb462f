namespace BackpropService.Api.Persistence;

/// <summary>
/// A stored row that the API lists in creation order. Lists are paged by the key (<see cref="CreatedAt"/>,
/// <see cref="Id"/>), which never changes and is unique, so a walk through the pages sees every row once.
/// </summary>
public interface IListedEntity
{
    string Id { get; }
    DateTime CreatedAt { get; }
}
