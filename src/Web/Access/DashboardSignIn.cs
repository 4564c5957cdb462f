using System.Security.Claims;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace BackpropService.Web.Access;

/// <summary>Opens and checks dashboard sessions: a key that authenticates now becomes a cookie session.</summary>
public sealed class DashboardSignIn(IApiKeyVerifier verifier)
{
    /// <summary>Signs <paramref name="secret"/> in on <paramref name="context"/>'s response; the key, or why it may not sign in.</summary>
    public async Task<KeyCheck> SignInAsync(HttpContext context, string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret)) return KeyCheck.Refused("Enter an API key.");
        secret = secret.Trim();
        var check = await verifier.VerifyAsync(secret, context.RequestAborted);
        if (check.Key is not { } key) return check;
        // Every page needs at least predict (the models); a metrics-only key would find nothing it may open.
        if (!key.Scopes.Grants(ApiKeyScope.Predict))
            return KeyCheck.Refused("This key has only the metrics scope; the dashboard needs a key with the predict, train or admin scope.");

        await context.SignInAsync(DashboardAuthentication.Scheme, Principal(key, secret), new AuthenticationProperties { IsPersistent = false });
        return check;
    }

    /// <summary>
    /// Where to go after signing in: <paramref name="returnUrl"/> when it is a path on this site (never another
    /// site: no open redirect), else the start page; a key without train starts at the models, which it may see.
    /// </summary>
    public static string Landing(VerifiedKey key, string? returnUrl)
    {
        string target = IsLocalPath(returnUrl) ? returnUrl! : "/";
        return target == "/" && !key.Scopes.Grants(ApiKeyScope.Train) ? "/models" : target;
    }

    /// <summary>
    /// Checks the session's key again on each request that reads the cookie, so a revoked or expired key
    /// ends its sessions too (the service holds known keys in memory, so this costs no database query).
    /// </summary>
    public static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        string? secret = context.Principal?.FindFirst(DashboardAuthentication.ApiKeyClaim)?.Value;
        var verifier = context.HttpContext.RequestServices.GetService(typeof(IApiKeyVerifier)) as IApiKeyVerifier;
        var check = secret is null || verifier is null ? null : await verifier.VerifyAsync(secret, context.HttpContext.RequestAborted);
        if (check?.Key is not null) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(DashboardAuthentication.Scheme);
    }

    private static ClaimsPrincipal Principal(VerifiedKey key, string secret)
    {
        var identity = new ClaimsIdentity(DashboardAuthentication.Scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, key.Id));
        identity.AddClaim(new Claim(ClaimTypes.Name, key.Name));
        foreach (var scope in key.Scopes) identity.AddClaim(new Claim(AccessClaims.Scope, scope.ToString()));
        identity.AddClaim(new Claim(DashboardAuthentication.ApiKeyClaim, secret));
        return new ClaimsPrincipal(identity);
    }

    private static bool IsLocalPath(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains("://", StringComparison.Ordinal);
}
