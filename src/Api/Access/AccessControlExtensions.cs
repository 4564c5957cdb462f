using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace BackpropService.Api.Access;

/// <summary>
/// Access control: every endpoint needs an API key (the fallback policy) unless it says
/// <c>AllowAnonymous</c>; endpoints name the scope they need with <see cref="AccessPolicies"/>.
/// </summary>
public static class AccessControlExtensions
{
    public static IHostApplicationBuilder AddAccessControl(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyStore>();
        services.AddHostedService<AdminKeyBootstrap>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        foreach (var (policy, scope) in AccessPolicies.Scopes)
            authorization.AddPolicy(policy, p => p
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(scope)));
        services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ScopeProblemResultHandler>();
        return builder;
    }

    public static WebApplication UseAccessControl(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
