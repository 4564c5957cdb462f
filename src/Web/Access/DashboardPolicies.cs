using BackpropService.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace BackpropService.Web.Access;

/// <summary>
/// The dashboard's authorization policies. Each names only the dashboard's cookie scheme: a page is opened
/// with a session, never with an API key header, and the REST API's policies never name the cookie.
/// </summary>
public static class DashboardPolicies
{
    /// <summary>Any signed-in key: every dashboard page and the Blazor circuit.</summary>
    public const string SignedIn = "dashboard:signed-in";

    /// <summary>Pages that read or act on models (the predict playground).</summary>
    public const string Predict = "dashboard:predict";

    /// <summary>Pages that read or act on jobs and datasets.</summary>
    public const string Train = "dashboard:train";

    public static AuthorizationBuilder AddDashboardPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(SignedIn, SignedInPolicy())
        .AddPolicy(Predict, policy => Scope(policy, ApiKeyScope.Predict))
        .AddPolicy(Train, policy => Scope(policy, ApiKeyScope.Train));

    private static AuthorizationPolicy SignedInPolicy() =>
        new AuthorizationPolicyBuilder(DashboardAuthentication.Scheme).RequireAuthenticatedUser().Build();

    private static void Scope(AuthorizationPolicyBuilder policy, ApiKeyScope scope) => policy
        .AddAuthenticationSchemes(DashboardAuthentication.Scheme)
        .RequireAuthenticatedUser()
        .RequireAssertion(context => DashboardScopes.Grants(context.User, scope));
}
