namespace BackpropService.Contracts;

/// <summary>An API key as <c>GET /api/keys</c> lists it: never its secret, which is shown once, at creation.</summary>
/// <param name="RevokedAt">When <c>DELETE /api/keys/{id}</c> revoked it; null while it works.</param>
/// <param name="CreatedBy">The key that created it; null for the first admin key.</param>
public sealed record ApiKeyInfo(
    string Id,
    string Name,
    IReadOnlyList<ApiKeyScope> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    Creator? CreatedBy);
