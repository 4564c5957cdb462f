namespace BackpropService.Web.Access;

/// <summary>
/// Names of the dashboard's sign-in: a cookie session opened at <see cref="LoginPath"/> with an API key.
/// The key itself travels only inside the cookie's ticket, which ASP.NET Core Data Protection encrypts
/// and signs, in a cookie that is HttpOnly and SameSite=Strict: the dashboard's server reads it to call
/// the API and the hub, browser JavaScript never can.
/// </summary>
public static class DashboardAuthentication
{
    public const string Scheme = "DashboardCookie";
    public const string CookieName = "backprop.dashboard";

    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";
    public const string AccessDeniedPath = "/access-denied";
    public const string ReturnUrlParameter = "returnUrl";

    /// <summary>The claim holding the key's secret (in the encrypted ticket only; never rendered).</summary>
    public const string ApiKeyClaim = "backprop:api-key";

    /// <summary>How long a session lasts without use (each use extends it).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);
}
