namespace BackpropService.Contracts;

/// <summary>
/// What a key may do: the rules the service's policies and handlers enforce, and the dashboard's pages follow
/// (so they offer only what the API will accept).
/// </summary>
public static class AccessRules
{
    /// <summary>
    /// Whether a key holding <paramref name="held"/> may do what needs <paramref name="needed"/>:
    /// admin may do everything, and a train key may also predict (and read models).
    /// </summary>
    public static bool Grants(this IEnumerable<ApiKeyScope> held, ApiKeyScope needed) => held.Any(scope =>
        scope == needed || scope == ApiKeyScope.Admin || (scope == ApiKeyScope.Train && needed == ApiKeyScope.Predict));

    /// <summary>
    /// Whether key <paramref name="keyId"/> (holding <paramref name="held"/>) may cancel or delete something created by
    /// <paramref name="createdByKeyId"/>: admin may touch anything; others only what they created (rows from before
    /// access control have no creator: admin only).
    /// </summary>
    public static bool MayModify(this IEnumerable<ApiKeyScope> held, string keyId, string? createdByKeyId) =>
        held.Contains(ApiKeyScope.Admin) || (createdByKeyId is not null && createdByKeyId == keyId);
}
