namespace BackpropService.Contracts;

/// <summary>
/// The claims a signed-in API key carries (the REST API's principal and the dashboard's cookie alike), so that
/// the dashboard can act with the key's scopes without knowing the service's code.
/// </summary>
public static class AccessClaims
{
    /// <summary>One claim per scope of the key; the value is the <see cref="ApiKeyScope"/> member's name (<c>Train</c>).</summary>
    public const string Scope = "scope";
}
