namespace BackpropService.Api.Http;

/// <summary>
/// What each named rate-limiting policy allows, with the settings that set it, for the detail of its rejection
/// (<see cref="RateLimitRejection"/>). A feature that adds a policy adds its sentence:
/// <c>services.Configure&lt;RateLimitPolicyDescriptions&gt;(d =&gt; d.Add("my-policy", "…"))</c>.
/// </summary>
public sealed class RateLimitPolicyDescriptions
{
    private readonly Dictionary<string, string> _descriptions = new(StringComparer.Ordinal);

    public void Add(string policyName, string description) => _descriptions[policyName] = description;

    /// <summary>The policy's sentence, or a generic one naming it.</summary>
    public string Describe(string? policyName) =>
        policyName is not null && _descriptions.TryGetValue(policyName, out var description)
            ? description
            : $"The request is over the service's limit{(policyName is null ? "" : $" '{policyName}'")}";
}
