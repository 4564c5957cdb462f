namespace BackpropService.Api.Cluster;

/// <summary>
/// A message on <see cref="ClusterChannel"/> as JSON (System.Text.Json, the wire contracts' conventions): the format
/// version, the process that sent it (so it can skip its own) and the message.
/// </summary>
public sealed record ClusterEnvelope(int Version, string Origin, ClusterMessage Message)
{
    /// <summary>Raise it when a message changes meaning; a process skips envelopes of a version it does not know.</summary>
    public const int CurrentVersion = 1;
}
