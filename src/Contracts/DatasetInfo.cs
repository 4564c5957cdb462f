namespace BackpropService.Contracts;

/// <summary>A stored or built-in dataset, without its samples.</summary>
/// <param name="Classes">Class names in index order; null for regression.</param>
/// <param name="BuiltIn">True for the synthetic datasets that ship with the service.</param>
/// <param name="CreatedBy">The API key that created it (id and name); null for what predates access control or is built in.</param>
/// <param name="Shape">
/// The features as [channels, height, width] (IDX images: [1, 28, 28]; a CSV uploaded with <c>shape</c>); null for a flat
/// dataset, where only dense layers apply.
/// </param>
public sealed record DatasetInfo(
    string Id,
    string Name,
    LearningTask Task,
    int Samples,
    int Features,
    int Outputs,
    IReadOnlyList<string>? Classes,
    bool BuiltIn,
    DateTimeOffset? CreatedAt,
    Creator? CreatedBy = null,
    IReadOnlyList<int>? Shape = null);
