namespace BackpropService.Engine;

/// <summary>
/// One rule that a request to the engine breaks: <see cref="Field"/> is the JSON field it concerns
/// (<c>layers[1].activation</c>, <c>batchSize</c>) and <see cref="Reason"/> says why, in words a person can act on.
/// </summary>
public sealed record RuleViolation(string Field, string Reason);
