using System.Diagnostics.Metrics;
using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using BackpropService.Api.Training;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Observability;

/// <summary>
/// The service's own instruments, on the <see cref="MeterName"/> meter. OpenTelemetry exports them at
/// <c>/metrics</c> under their Prometheus names (dots become underscores, the unit and <c>_total</c> are appended):
/// <list type="bullet">
/// <item><c>backprop_jobs_queued</c>, <c>backprop_jobs_running</c>: gauges read from the jobs table at each scrape.</item>
/// <item><c>backprop_worker_slots</c>, <c>backprop_worker_slots_busy</c>: this process's training slots, and those training now.</item>
/// <item><c>backprop_epoch_duration_seconds</c>: histogram of the engine's time per epoch.</item>
/// <item><c>backprop_predict_duration_seconds</c>: histogram of a successful predict call, body read to answer written.</item>
/// <item><c>backprop_predict_rows_total</c>: counter of the rows answered by predict.</item>
/// </list>
/// Labels stay few and bounded (the predict <c>format</c>); job and model ids belong in traces and logs, not here.
/// </summary>
public sealed partial class BackpropMetrics
{
    public const string MeterName = "BackpropService";

    private readonly IDbContextFactory<BackpropDbContext> _dbFactory;
    private readonly ILogger<BackpropMetrics> _logger;
    private readonly Histogram<double> _epochDuration;
    private readonly Histogram<double> _predictDuration;
    private readonly Counter<long> _predictRows;

    public BackpropMetrics(IMeterFactory meterFactory, IDbContextFactory<BackpropDbContext> dbFactory, JobCancellations runningHere,
        IOptions<TrainingWorkerOptions> worker, ILogger<BackpropMetrics> logger)
    {
        _dbFactory = dbFactory;
        _logger = logger;
        var meter = meterFactory.Create(MeterName);
        // Read from the jobs table (an indexed COUNT each), so the figures are the durable queue's, whoever wrote it.
        meter.CreateObservableGauge("backprop.jobs.queued", () => CountJobs(JobStatus.Queued),
            unit: "{job}", description: "Jobs waiting in the queue.");
        meter.CreateObservableGauge("backprop.jobs.running", () => CountJobs(JobStatus.Running),
            unit: "{job}", description: "Jobs being trained.");
        meter.CreateObservableGauge("backprop.worker.slots", () => worker.Value.Concurrency,
            unit: "{slot}", description: "Jobs this process can train at the same time (Training:Concurrency).");
        meter.CreateObservableGauge("backprop.worker.slots.busy", () => runningHere.Count,
            unit: "{slot}", description: "Training slots of this process that are training a job now.");
        _epochDuration = meter.CreateHistogram("backprop.epoch.duration", unit: "s",
            description: "Time the engine took for one training epoch (every mini-batch, then the validation pass).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        _predictDuration = meter.CreateHistogram("backprop.predict.duration", unit: "s",
            description: "Time of a successful predict call, from reading the body to writing the answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        _predictRows = meter.CreateCounter<long>("backprop.predict.rows", unit: "{row}",
            description: "Input rows answered by predict.");
    }

    public void RecordEpoch(double seconds) => _epochDuration.Record(seconds);

    /// <param name="format"><c>json</c> or <c>binary</c>: the request's body format.</param>
    public void RecordPredict(TimeSpan duration, int rows, string format)
    {
        var tag = new KeyValuePair<string, object?>("format", format);
        _predictDuration.Record(duration.TotalSeconds, tag);
        _predictRows.Add(rows, tag);
    }

    /// <summary>A scrape must not fail because the database is busy for a moment: that gauge is left out of this scrape instead.</summary>
    private IEnumerable<Measurement<int>> CountJobs(JobStatus status)
    {
        int count;
        try
        {
            using var db = _dbFactory.CreateDbContext();
            count = db.Jobs.Count(j => j.Status == status);
        }
        catch (Exception e)
        {
            LogCountFailed(_logger, e, status);
            return [];
        }
        return [new Measurement<int>(count)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the {Status} jobs for /metrics; the gauge is left out of this scrape.")]
    private static partial void LogCountFailed(ILogger logger, Exception exception, JobStatus status);
}
