using BackpropService.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace BackpropService.Api.Access;

/// <summary>
/// Answers a key that lacks a scope with 403 problem details naming the scope, instead of an empty 403.
/// Everything else (challenges, the dashboard's cookie scheme) goes to the framework's default handling.
/// </summary>
public sealed class ScopeProblemResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault();
        if (!authorizeResult.Forbidden || missing is null || !policy.AuthenticationSchemes.Contains(ApiKeyAuthenticationHandler.SchemeName))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        string scope = WireName.Of(missing.Scope);
        var caller = context.User.Caller();
        string held = caller is null || caller.Scopes.Count == 0 ? "none" : string.Join(", ", caller.Scopes.Select(WireName.Of));
        string detail = $"This needs an API key with the '{scope}' scope (or 'admin'); this key has: {held}.";
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "The API key may not do this.",
                Detail = detail,
                Extensions = { ["scope"] = scope, ["errors"] = new Dictionary<string, string[]> { ["scope"] = [detail] } },
            },
        });
    }
}
