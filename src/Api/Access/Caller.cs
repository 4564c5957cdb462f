using System.Security.Claims;
using BackpropService.Contracts;

namespace BackpropService.Api.Access;

/// <summary>The API key a request was made with, as its claims carry it.</summary>
public sealed record Caller(string KeyId, string KeyName, IReadOnlyList<ApiKeyScope> Scopes)
{
    public const string ScopeClaim = AccessClaims.Scope;

    /// <summary>What stored rows record as <c>createdBy</c>.</summary>
    public Creator AsCreator => new(KeyId, KeyName);

    public bool IsAdmin => Scopes.Contains(ApiKeyScope.Admin);

    /// <summary>Whether this key may cancel or delete something created by <paramref name="createdByKeyId"/> (see <see cref="AccessRules.MayModify"/>).</summary>
    public bool MayModify(string? createdByKeyId) => Scopes.MayModify(KeyId, createdByKeyId);

    public ClaimsIdentity ToIdentity(string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, KeyId));
        identity.AddClaim(new Claim(ClaimTypes.Name, KeyName));
        // Claims stay inside the process (and the dashboard's encrypted cookie); the enum's own name is enough.
        foreach (var scope in Scopes) identity.AddClaim(new Claim(ScopeClaim, scope.ToString()));
        return identity;
    }

    public static Caller? FromPrincipal(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id) return null;
        var scopes = user.FindAll(ScopeClaim)
            .Select(c => Enum.TryParse<ApiKeyScope>(c.Value, out var scope) ? scope : (ApiKeyScope?)null).OfType<ApiKeyScope>().ToList();
        return new Caller(id, user.FindFirstValue(ClaimTypes.Name) ?? id, scopes);
    }
}

public static class CallerExtensions
{
    /// <summary>The caller's key, or null for an anonymous request.</summary>
    public static Caller? Caller(this ClaimsPrincipal user) => Access.Caller.FromPrincipal(user);

    /// <summary>The caller's key on an endpoint that requires one.</summary>
    public static Caller RequiredCaller(this ClaimsPrincipal user) =>
        user.Caller() ?? throw new InvalidOperationException("This endpoint requires an API key, but the request has none.");
}
