using BackpropService.Web.Access;

namespace BackpropService.Api.Access;

/// <summary>Checks the keys people sign in to the dashboard with, against the same store (and rules) as every API request.</summary>
public sealed class DashboardKeyVerifier(ApiKeyStore keys) : IApiKeyVerifier
{
    public async Task<KeyCheck> VerifyAsync(string secret, CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(secret, cancellationToken);
        if (key is null) return KeyCheck.Refused("This API key is not known. Check that it was copied whole.");
        if (!keys.IsUsable(key, out var whyNot)) return KeyCheck.Refused(whyNot!);
        return new KeyCheck(new VerifiedKey(key.Id, key.Name, key.Scopes), null);
    }
}
