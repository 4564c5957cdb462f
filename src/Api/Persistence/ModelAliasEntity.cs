namespace BackpropService.Api.Persistence;

/// <summary>
/// A named pointer to one version of a model (MLflow's aliases): <c>name@alias</c> means that version until
/// an admin moves it, whatever newer versions are trained.
/// </summary>
public sealed class ModelAliasEntity
{
    public required string Name { get; set; }
    public required string Alias { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedByKeyId { get; set; }
    public string? UpdatedByName { get; set; }
}
