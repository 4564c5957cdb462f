namespace BackpropService.Api.Tests.Observability;

/// <summary>One sample of a Prometheus text exposition: <c>name{label="value",…} 1.5</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
