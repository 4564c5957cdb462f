namespace BackpropService.Contracts;

/// <summary>Body of <c>POST /api/keys</c>.</summary>
/// <param name="Name">What the key is for (a person or a service), shown in lists and in <c>createdBy</c>.</param>
/// <param name="Scopes">At least one of <c>predict</c>, <c>train</c>, <c>metrics</c>, <c>admin</c>.</param>
/// <param name="ExpiresAt">When the key stops working; null for never. Must be in the future.</param>
public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<ApiKeyScope>? Scopes, DateTimeOffset? ExpiresAt = null);
