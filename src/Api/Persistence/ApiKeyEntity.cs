using BackpropService.Contracts;

namespace BackpropService.Api.Persistence;

/// <summary>
/// An API key. Only <see cref="Hash"/> (SHA-256 of the secret) is stored: the secret itself is shown once,
/// when the key is created, and never written anywhere.
/// </summary>
public sealed class ApiKeyEntity : IListedEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Lowercase hex SHA-256 of the secret (see <see cref="Access.ApiKeySecret"/>); unique.</summary>
    public required string Hash { get; set; }

    public List<ApiKeyScope> Scopes { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }

    /// <summary>Set by <c>DELETE /api/keys/{id}</c>; a revoked key stays listed but authenticates nothing.</summary>
    public DateTime? RevokedAt { get; set; }

    public string? CreatedByKeyId { get; set; }
    public string? CreatedByName { get; set; }
}
