using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Api.Mapping;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;

namespace BackpropService.Api.Sweeps;

/// <summary>A sweep as the API reports it, from its stored request, its jobs and their best metrics.</summary>
public static class SweepRanking
{
    public static Sweep ToContract(SweepEntity sweep, IEnumerable<JobEntity> jobs, IReadOnlyDictionary<string, JobBestMetrics> bests)
    {
        var request = JsonSerializer.Deserialize<SubmitSweepRequest>(sweep.Request, ContractJson.Options)
            ?? throw new InvalidOperationException($"Sweep {sweep.Id} has no stored request.");
        var kind = request.Grid is not null ? SweepKind.Grid : SweepKind.Random;
        var paths = kind == SweepKind.Grid ? request.Grid!.Keys.ToList() : request.Random!.Keys.ToList();
        // Checked when the sweep was accepted: every stored path parses.
        var settings = paths.Select(path => SweepSetting.Parse(path, out _)!).ToList();

        var points = jobs.Select(job => new
        {
            Job = job,
            Best = Best(bests.GetValueOrDefault(job.Id), sweep.Metric),
        }).ToList();
        bool lowerIsBetter = sweep.Metric != SweepMetric.ValidationAccuracy;
        // Best first; ties and the jobs without a value yet (last) in point order.
        var ranked = points
            .OrderBy(p => p.Best is null ? 1 : 0)
            .ThenBy(p => p.Best is { } best ? (lowerIsBetter ? best : -best) : 0)
            .ThenBy(p => p.Job.SweepPoint)
            .ThenBy(p => p.Job.Id, StringComparer.Ordinal)
            .Select((p, index) => new SweepJob(
                p.Best is null ? null : index + 1, p.Job.SweepPoint ?? 0, p.Job.Id, p.Job.Name, p.Job.Status, p.Job.Epoch, p.Job.Epochs,
                ValuesOf(p.Job, settings), p.Best, p.Job.ModelId, p.Job.Error))
            .ToList();

        return new Sweep(sweep.Id, sweep.Name, StatusOf(ranked.Select(j => j.Status).ToList()), sweep.Metric, kind,
            paths, kind == SweepKind.Random ? request.Random!.Where(r => r.Value is not null).ToDictionary(r => r.Key, r => r.Value!) : null,
            sweep.CreatedAt.AsUtc(), EntityMapping.CreatorOf(sweep.CreatedByKeyId, sweep.CreatedByName), ranked);
    }

    /// <summary>See <see cref="SweepStatus"/>.</summary>
    public static SweepStatus StatusOf(IReadOnlyCollection<JobStatus> jobs)
    {
        if (jobs.Count > 0 && jobs.All(s => s == JobStatus.Queued)) return SweepStatus.Queued;
        if (jobs.Any(s => s is JobStatus.Queued or JobStatus.Running)) return SweepStatus.Running;
        if (jobs.All(s => s == JobStatus.Succeeded)) return SweepStatus.Succeeded;
        if (jobs.Any(s => s == JobStatus.Cancelled)) return SweepStatus.Cancelled;
        return jobs.Any(s => s == JobStatus.Succeeded) ? SweepStatus.PartlyFailed : SweepStatus.Failed;
    }

    /// <summary>The job's best value of <paramref name="metric"/>; null without one (no epoch yet, no validation data, or not finite).</summary>
    private static double? Best(JobBestMetrics? bests, SweepMetric metric)
    {
        double? value = metric switch
        {
            SweepMetric.ValidationLoss => bests?.ValidationLoss,
            SweepMetric.ValidationAccuracy => bests?.ValidationAccuracy,
            _ => bests?.TrainLoss,
        };
        return value is { } v && double.IsFinite(v) ? v : null;
    }

    private static Dictionary<string, JsonElement> ValuesOf(JobEntity job, IReadOnlyList<SweepSetting> settings)
    {
        var options = JsonNode.Parse(job.Options)!;
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var setting in settings)
            if (setting.Read(options) is { } value) values[setting.Path] = value;
        return values;
    }
}
