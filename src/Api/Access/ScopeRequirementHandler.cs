using BackpropService.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace BackpropService.Api.Access;

/// <summary>Meets a <see cref="ScopeRequirement"/> when the caller's key grants its scope.</summary>
public sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.Caller() is { } caller && caller.Scopes.Grants(requirement.Scope))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
