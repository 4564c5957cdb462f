using Microsoft.Extensions.Logging;

namespace BackpropService.Api.Tests.Observability;

/// <summary>One log entry with the properties of every scope it was written in (what JSON console logs print as <c>Scopes</c>), and its exception.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, string? Thread, IReadOnlyList<KeyValuePair<string, object?>> ScopeProperties,
    Exception? Exception = null)
{
    public override string ToString() => $"{Category}: {Message} [{string.Join(", ", ScopeProperties.Select(p => $"{p.Key}={p.Value}"))}]";
}
