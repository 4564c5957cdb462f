namespace BackpropService.Contracts;

/// <summary>
/// A named pointer to one version of a model (MLflow's aliases): <c>"model": "name@alias"</c> means that version
/// until an admin moves the alias, whatever newer versions are trained or imported.
/// </summary>
/// <param name="Name">The model's name.</param>
/// <param name="Alias">The alias, for example <c>prod</c>.</param>
/// <param name="Version">The version it points to.</param>
/// <param name="ModelId">The id of that version; null only if the version was removed behind the service's back.</param>
/// <param name="UpdatedBy">The key that last set it.</param>
public sealed record ModelAlias(
    string Name,
    string Alias,
    int Version,
    string? ModelId,
    DateTimeOffset UpdatedAt,
    Creator? UpdatedBy);
