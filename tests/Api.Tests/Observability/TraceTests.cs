using System.Diagnostics;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Predict;
using BackpropService.Contracts;
using OpenTelemetry.Trace;

namespace BackpropService.Api.Tests.Observability;

/// <summary>With an OTLP endpoint configured, a job is one trace from its submit to its stored model.</summary>
public sealed class TraceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_job_is_one_trace_from_submit_through_its_epochs_to_the_stored_model_and_predict_has_a_span()
    {
        using var database = new TempDatabase();
        using var spans = new SpanRecorder();
        // Nothing listens there (loopback): the exporter fails quietly; the recorder sees the same spans.
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "500",
        });
        factory.TestServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(spans));
        var client = factory.CreateClient();

        var job = await client.SubmitJobAsync(XorJobs.Request("xor-traced", epochs: 3));
        var run = await spans.Ended.WaitForAsync(s => s.DisplayName == "job run", Timeout);

        var submit = Assert.Single(spans.Ended.Items, s => s.DisplayName == "job submit");
        Assert.Equal(job.Id, submit.GetTagItem("job.id"));
        Assert.Equal(submit.TraceId, run.TraceId);
        Assert.Equal(submit.SpanId, run.ParentSpanId);
        Assert.Equal(job.Id, run.GetTagItem("job.id"));
        // The submit span sits under the POST request's own span.
        Assert.Contains(spans.Ended.Items, s => s.SpanId == submit.ParentSpanId && s.Kind == ActivityKind.Server);

        var epochs = spans.Ended.Items.Where(s => s.DisplayName == "job epoch" && s.TraceId == run.TraceId).ToList();
        Assert.Equal(new[] { 1, 2, 3 }, epochs.Select(s => (int)s.GetTagItem("job.epoch")!).Order());
        Assert.All(epochs, s => Assert.Equal(run.SpanId, s.ParentSpanId));
        var store = Assert.Single(spans.Ended.Items, s => s.DisplayName == "job store");
        Assert.Equal(run.SpanId, store.ParentSpanId);
        Assert.Equal("succeeded", store.GetTagItem("job.status"));

        job = await client.WaitUntilFinishedAsync(job.Id, Timeout);
        await client.PredictJsonAsync("/predict", new PredictRequest("xor-traced", [[0f, 1f], [1f, 1f]]));
        var predict = await spans.Ended.WaitForAsync(s => s.DisplayName == "predict", Timeout);
        Assert.Equal(job.ModelId, predict.GetTagItem("model.id"));
        Assert.Equal(2, predict.GetTagItem("predict.rows"));
    }
}
