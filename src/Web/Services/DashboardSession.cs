using BackpropService.Web.Access;
using Microsoft.AspNetCore.Components.Authorization;

namespace BackpropService.Web.Services;

/// <summary>
/// The signed-in API key of one circuit (or request), as the dashboard's clients of the API and the hub
/// need it. Scoped: it reads the authentication state of its own circuit, whose user the cookie set.
/// </summary>
public sealed class DashboardSession(AuthenticationStateProvider authentication)
{
    /// <summary>The signed-in key's secret, or null without a session.</summary>
    public async Task<string?> ApiKeyAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.FindFirst(DashboardAuthentication.ApiKeyClaim)?.Value;
    }
}
