using System.Security.Claims;
using BackpropService.Contracts;

namespace BackpropService.Web.Access;

/// <summary>What the signed-in key may do, read from its <see cref="AccessClaims.Scope"/> claims.</summary>
public static class DashboardScopes
{
    public static IReadOnlyList<ApiKeyScope> Of(ClaimsPrincipal user) =>
        user.FindAll(AccessClaims.Scope)
            .Select(claim => Enum.TryParse<ApiKeyScope>(claim.Value, out var scope) ? scope : (ApiKeyScope?)null)
            .OfType<ApiKeyScope>()
            .ToList();

    /// <summary>Whether the signed-in key may cancel or delete something <paramref name="createdBy"/> made (by the service's own rule).</summary>
    public static bool MayModify(ClaimsPrincipal user, Creator? createdBy) =>
        user.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } keyId && Of(user).MayModify(keyId, createdBy?.Id);

    /// <summary>Whether the signed-in key grants <paramref name="needed"/> (by the service's own rule).</summary>
    public static bool Grants(ClaimsPrincipal user, ApiKeyScope needed) =>
        user.Identity?.IsAuthenticated == true && Of(user).Grants(needed);
}
