using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Api.Extensions;
using BackpropService.Api.Options;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;

namespace BackpropService.Api.Sweeps;

/// <summary>
/// A sweep's job requests: for each point, the base request with the point's values written in, checked exactly as
/// <c>POST /api/jobs</c> checks a request (<see cref="JobRequestValidator.ValidateAsync"/>: one rule in one place). A
/// failure is reported where the sweep request can fix it: on the swept value it concerns (<c>grid.learningRate[2]</c>,
/// <c>random.batchSize.uniform</c>), otherwise on the base request's field (<c>base.epochs</c>).
/// </summary>
public static class SweepJobs
{
    /// <summary>Points whose failures are reported; the rest of a broken sweep would mostly repeat them.</summary>
    private const int MaxFailingPointsReported = 20;

    /// <summary>One point's job: its request (named for the point) and what validation made of it.</summary>
    public sealed record PointJob(SweepPoint Point, string Name, ValidJobRequest Valid);

    /// <summary>Every point's job, or null with the reasons in <paramref name="errors"/>.</summary>
    public static async Task<List<PointJob>?> ValidateAsync(SweepPlan plan, SubmitJobRequest baseRequest, string sweepName,
        Func<string, Task<DatasetInfo?>> findDataset, ServiceLimits limits, int threads, ValidationErrors errors)
    {
        var baseJson = JsonSerializer.SerializeToNode(baseRequest, ContractJson.Options)!.AsObject();
        var reported = new HashSet<(string, string)>();
        var jobs = new List<PointJob>();
        int failing = 0;
        foreach (var point in plan.Points)
        {
            string name = JobName(sweepName, point);
            var pointErrors = new ValidationErrors();
            var request = RequestFor(point, baseJson, name, pointErrors);
            var valid = request is null ? null : await JobRequestValidator.ValidateAsync(request, findDataset, limits, threads, pointErrors);
            if (valid is not null)
            {
                jobs.Add(new PointJob(point, name, valid));
                continue;
            }
            foreach (var (field, messages) in pointErrors.ToDictionary())
                foreach (string message in messages)
                {
                    var (key, text) = Locate(point, field, message);
                    if (reported.Add((key, text))) errors.Add(key, text);
                }
            if (++failing == MaxFailingPointsReported) break;
        }
        return errors.Any ? null : jobs;
    }

    /// <summary>"&lt;sweep&gt; #3 (learningRate=0.1, batchSize=32)", the values cut short to fit a job name.</summary>
    public static string JobName(string sweepName, SweepPoint point)
    {
        string prefix = $"{sweepName} #{point.Number}";
        string values = point.Describe();
        if (prefix.Length + values.Length + 3 <= ServiceLimits.MaxNameLength) return $"{prefix} ({values})";
        return $"{prefix} ({values[..Math.Max(0, ServiceLimits.MaxNameLength - prefix.Length - 4)]}…)";
    }

    /// <summary>The point's job request, or null with the reason under the request field it concerns.</summary>
    private static SubmitJobRequest? RequestFor(SweepPoint point, JsonObject baseJson, string name, ValidationErrors errors)
    {
        var json = baseJson.DeepClone().AsObject();
        json["name"] = name;
        foreach (var value in point.Values)
            if (value.Setting.Apply(json, value.Value) is { } problem) errors.Add(value.Setting.Path, problem);
        if (errors.Any) return null;
        try
        {
            return json.Deserialize<SubmitJobRequest>(ContractJson.Options);
        }
        catch (JsonException e)
        {
            // The base request was read already, so the value that does not fit is a swept one.
            errors.Add(BadRequestExceptionHandler.FieldOf(e.Path), BadRequestExceptionHandler.Reason(e, typeof(SubmitJobRequest), ContractJson.Options));
            return null;
        }
    }

    /// <summary>Where in the sweep request a failure on the job request's <paramref name="field"/> belongs, and how it reads there.</summary>
    private static (string Key, string Message) Locate(SweepPoint point, string field, string message)
    {
        foreach (var value in point.Values)
        {
            string path = value.Setting.Path;
            if (field == path) return (value.Source, $"{path} = {value.Shown}: {message}");
            if (Within(field, path) || Within(path, field)) return (value.Source, $"{path} = {value.Shown} ({field}): {message}");
        }
        return (field == "name" ? "name" : $"base.{field}", message);
    }

    /// <summary>Whether <paramref name="inner"/> is a field inside <paramref name="outer"/> (<c>layers[0].size</c> inside <c>layers</c>).</summary>
    private static bool Within(string inner, string outer) =>
        inner.StartsWith(outer + ".", StringComparison.Ordinal) || inner.StartsWith(outer + "[", StringComparison.Ordinal);
}
