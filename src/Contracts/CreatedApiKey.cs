namespace BackpropService.Contracts;

/// <summary>The answer to <c>POST /api/keys</c>: the only time <see cref="Key"/> is ever shown.</summary>
/// <param name="Key">The secret, <c>bp_…</c>: send it as <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key</c>.
/// Only its hash is stored, so it cannot be shown again; keep it now.</param>
public sealed record CreatedApiKey(
    string Id,
    string Name,
    IReadOnlyList<ApiKeyScope> Scopes,
    string Key,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    Creator? CreatedBy);
