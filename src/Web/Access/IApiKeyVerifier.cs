namespace BackpropService.Web.Access;

/// <summary>
/// Checks an API key a person signs in with. The host that serves the dashboard implements it (the service
/// looks the key up in its own store), so the dashboard needs no code of the service's.
/// </summary>
public interface IApiKeyVerifier
{
    /// <summary>The key behind <paramref name="secret"/> if it authenticates at this moment (known, not expired, not revoked).</summary>
    Task<KeyCheck> VerifyAsync(string secret, CancellationToken cancellationToken);
}
