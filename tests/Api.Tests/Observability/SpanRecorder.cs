using System.Diagnostics;
using OpenTelemetry;

namespace BackpropService.Api.Tests.Observability;

/// <summary>An OpenTelemetry processor that keeps every span the service ends.</summary>
public sealed class SpanRecorder : BaseProcessor<Activity>
{
    public Recorded<Activity> Ended { get; } = new();

    public override void OnEnd(Activity data) => Ended.Add(data);

    protected override void Dispose(bool disposing)
    {
        if (disposing) Ended.Dispose();
        base.Dispose(disposing);
    }
}
