using BackpropService.Contracts;

namespace BackpropService.Api.Access;

/// <summary>
/// The authorization policies, one per scope; endpoints name them with <c>RequireAuthorization</c>.
/// Which scope grants which is decided in one place, shared with the dashboard: <see cref="AccessRules.Grants"/>.
/// </summary>
public static class AccessPolicies
{
    public const string Predict = "scope:predict";
    public const string Train = "scope:train";
    public const string Metrics = "scope:metrics";
    public const string Admin = "scope:admin";

    /// <summary>The scope each policy asks for.</summary>
    public static IReadOnlyDictionary<string, ApiKeyScope> Scopes { get; } = new Dictionary<string, ApiKeyScope>
    {
        [Predict] = ApiKeyScope.Predict,
        [Train] = ApiKeyScope.Train,
        [Metrics] = ApiKeyScope.Metrics,
        [Admin] = ApiKeyScope.Admin,
    };
}
