using BackpropService.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace BackpropService.Api.Access;

/// <summary>The caller's key must grant <see cref="Scope"/> (see <see cref="AccessRules.Grants"/>).</summary>
public sealed class ScopeRequirement(ApiKeyScope scope) : IAuthorizationRequirement
{
    public ApiKeyScope Scope { get; } = scope;
}
