using BackpropService.Contracts;

namespace BackpropService.Web.Access;

/// <summary>An API key that may sign in now: its id, name and scopes (never its secret).</summary>
public sealed record VerifiedKey(string Id, string Name, IReadOnlyList<ApiKeyScope> Scopes);
