namespace BackpropService.Contracts;

/// <summary>Body of <c>PUT /api/models/{name}/aliases/{alias}</c>.</summary>
/// <param name="Version">The existing version of the model the alias points to from now on.</param>
public sealed record SetAliasRequest(int? Version);
