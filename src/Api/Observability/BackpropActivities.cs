using System.Diagnostics;

namespace BackpropService.Api.Observability;

/// <summary>
/// The service's own spans, exported over OTLP when an endpoint is configured (see <see cref="ObservabilityExtensions"/>).
/// A job is one trace: <c>job submit</c> (in the POST request) → <c>job run</c> (from the claim to the stored
/// outcome, on the training thread) → one <c>job epoch</c> per epoch → <c>job store</c>. A predict call adds a
/// <c>predict</c> span under the request's. Without a listener <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null and nothing is recorded.
/// </summary>
public static class BackpropActivities
{
    public const string SourceName = "BackpropService";

    public static ActivitySource Source { get; } = new(SourceName);
}
