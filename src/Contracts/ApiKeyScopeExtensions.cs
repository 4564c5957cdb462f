namespace BackpropService.Contracts;

/// <summary>Which scope grants which: the one rule the service's policies and the dashboard's pages both follow.</summary>
public static class ApiKeyScopeExtensions
{
    /// <summary>
    /// Whether a key holding <paramref name="held"/> may do what needs <paramref name="needed"/>:
    /// admin may do everything, and a train key may also predict (and read models).
    /// </summary>
    public static bool Grants(this IEnumerable<ApiKeyScope> held, ApiKeyScope needed) => held.Any(scope =>
        scope == needed || scope == ApiKeyScope.Admin || (scope == ApiKeyScope.Train && needed == ApiKeyScope.Predict));
}
