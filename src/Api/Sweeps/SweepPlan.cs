using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using BackpropService.Engine.Randomness;

namespace BackpropService.Api.Sweeps;

/// <summary>
/// The points of a sweep request: for a grid, every combination of the listed values (the first setting varies
/// slowest, as in nested loops in the request's order); for a random sweep, <c>trials</c> draws from a generator seeded
/// with <c>seed</c>, so the same request always gives the same points. Only the sweep's own fields are checked here;
/// each point's job request is checked as <c>POST /api/jobs</c> checks one (<see cref="SweepJobs"/>).
/// </summary>
public sealed class SweepPlan
{
    private SweepPlan(SweepKind kind, IReadOnlyList<SweepSetting> settings, IReadOnlyList<SweepPoint> points)
    {
        Kind = kind;
        Settings = settings;
        Points = points;
    }

    public SweepKind Kind { get; }
    public IReadOnlyList<SweepSetting> Settings { get; }
    public IReadOnlyList<SweepPoint> Points { get; }

    /// <summary>The plan of <paramref name="request"/>, or null with the reasons in <paramref name="errors"/>, keyed by the request's paths.</summary>
    public static SweepPlan? Create(SubmitSweepRequest request, int maxPoints, ValidationErrors errors)
    {
        if (request.Grid is not null && request.Random is not null)
        {
            errors.Add("random", "Give either a grid or random draws, not both.");
            return null;
        }
        if (request.Grid is { } grid) return CreateGrid(grid, request, maxPoints, errors);
        if (request.Random is { } random) return CreateRandom(random, request, maxPoints, errors);
        errors.Add("grid", "Required: a grid { \"learningRate\": [0.1, 1.0] } (every combination), or random { \"learningRate\": { \"logUniform\": [0.001, 1] } } with trials.");
        return null;
    }

    private static SweepPlan? CreateGrid(IReadOnlyDictionary<string, IReadOnlyList<JsonElement>?> grid, SubmitSweepRequest request,
        int maxPoints, ValidationErrors errors)
    {
        if (grid.Count == 0) errors.Add("grid", "Give at least one setting and its values, e.g. { \"learningRate\": [0.1, 1.0] }.");
        if (request.Trials is not null) errors.Add("trials", "trials is for random sweeps; a grid has one point per combination of its values.");
        if (request.Seed is not null) errors.Add("seed", "seed is for random sweeps; a grid draws nothing (to vary the jobs' own seed, sweep the setting 'seed').");

        var settings = new List<SweepSetting>();
        var values = new List<IReadOnlyList<JsonElement>>();
        foreach (var (path, listed) in grid)
        {
            var setting = SweepSetting.Parse(path, out string? problem);
            if (setting is null) errors.Add($"grid.{path}", problem!);
            if (listed is null || listed.Count == 0) errors.Add($"grid.{path}", "Give at least one value to try.");
            if (setting is null || listed is null || listed.Count == 0) continue;
            settings.Add(setting);
            values.Add(listed);
        }
        if (errors.Any) return null;

        long count = 1;
        foreach (var listed in values) count = Math.Min(count * listed.Count, (long)maxPoints + 1);
        if (count > maxPoints)
        {
            errors.Add("grid", $"The grid has {string.Join(" × ", values.Select(v => v.Count))} = {values.Aggregate(1.0, (n, v) => n * v.Count):N0} points; "
                + $"a sweep may have at most {maxPoints:N0} (Limits:MaxSweepPoints). Try fewer values, or random draws with trials.");
            return null;
        }

        var points = new List<SweepPoint>();
        var index = new int[settings.Count];
        for (int number = 1; number <= count; number++)
        {
            points.Add(new SweepPoint(number, [.. settings.Select((setting, s) =>
                new SweepValue(setting, ToNode(values[s][index[s]]), $"grid.{setting.Path}[{index[s]}]", Show(values[s][index[s]])))]));
            // The next combination: the last setting varies fastest.
            for (int s = settings.Count - 1; s >= 0 && ++index[s] == values[s].Count; s--) index[s] = 0;
        }
        return new SweepPlan(SweepKind.Grid, settings, points);
    }

    private static SweepPlan? CreateRandom(IReadOnlyDictionary<string, SweepDistribution?> random, SubmitSweepRequest request,
        int maxPoints, ValidationErrors errors)
    {
        if (random.Count == 0) errors.Add("random", "Give at least one setting and where to draw it from, e.g. { \"learningRate\": { \"logUniform\": [0.001, 1] } }.");
        if (request.Trials is not { } trials)
            errors.Add("trials", "Required with random: how many points to draw.");
        else if (trials < 1 || trials > maxPoints)
            errors.Add("trials", $"Give 1 to {maxPoints:N0} trials; a sweep may have at most {maxPoints:N0} points (Limits:MaxSweepPoints).");

        var settings = new List<(SweepSetting Setting, SweepDistribution Distribution)>();
        foreach (var (path, distribution) in random)
        {
            var setting = SweepSetting.Parse(path, out string? problem);
            if (setting is null) errors.Add($"random.{path}", problem!);
            if (distribution is null || CheckDistribution(distribution, setting, $"random.{path}", errors) is false) continue;
            if (setting is not null) settings.Add((setting, distribution));
        }
        if (errors.Any) return null;

        var generator = new SeededRandom(request.Seed ?? JobDefaults.Seed);
        var points = new List<SweepPoint>();
        for (int number = 1; number <= request.Trials!.Value; number++)
            points.Add(new SweepPoint(number, [.. settings.Select(s => Draw(s.Setting, s.Distribution, generator))]));
        return new SweepPlan(SweepKind.Random, [.. settings.Select(s => s.Setting)], points);
    }

    /// <summary>Whether <paramref name="distribution"/> is one well-formed distribution for <paramref name="setting"/>; the reasons under <paramref name="at"/> otherwise.</summary>
    private static bool CheckDistribution(SweepDistribution distribution, SweepSetting? setting, string at, ValidationErrors errors)
    {
        int given = (distribution.Values is null ? 0 : 1) + (distribution.Uniform is null ? 0 : 1) + (distribution.LogUniform is null ? 0 : 1);
        if (given != 1)
        {
            errors.Add(at, "Give exactly one of: values [a, b, …] (one of them, each as likely), uniform [low, high], logUniform [low, high] (both above 0).");
            return false;
        }
        if (distribution.Values is { Count: 0 })
        {
            errors.Add($"{at}.values", "Give at least one value to draw from.");
            return false;
        }
        foreach (var (range, name) in new[] { (distribution.Uniform, "uniform"), (distribution.LogUniform, "logUniform") })
        {
            if (range is null) continue;
            if (setting is { IsNumber: false })
            {
                errors.Add($"{at}.{name}", $"{setting.Path} is not a number; draw it from values [a, b, …] instead.");
                return false;
            }
            if (range.Count != 2 || !double.IsFinite(range[0]) || !double.IsFinite(range[1]) || range[0] > range[1])
            {
                errors.Add($"{at}.{name}", "Give [low, high]: two finite numbers, low ≤ high.");
                return false;
            }
            if (name == "logUniform" && range[0] <= 0)
            {
                errors.Add($"{at}.{name}", "Both ends of a logUniform range must be above 0 (the draw is uniform in their logarithms).");
                return false;
            }
        }
        return true;
    }

    private static SweepValue Draw(SweepSetting setting, SweepDistribution distribution, SeededRandom generator)
    {
        string at = $"random.{setting.Path}";
        if (distribution.Values is { } values)
        {
            int index = generator.NextInt(values.Count);
            return new SweepValue(setting, ToNode(values[index]), $"{at}.values[{index}]", Show(values[index]));
        }
        double drawn;
        if (distribution.Uniform is { } uniform)
        {
            drawn = uniform[0] + (uniform[1] - uniform[0]) * generator.NextDouble();
            at += ".uniform";
        }
        else
        {
            var range = distribution.LogUniform!;
            // Uniform in log space: each decade of the range is as likely.
            drawn = Math.Exp(Math.Log(range[0]) + (Math.Log(range[1]) - Math.Log(range[0])) * generator.NextDouble());
            at += ".logUniform";
        }
        if (setting.IsWholeNumber && Math.Abs(drawn) < 1e15)
        {
            long whole = (long)Math.Round(drawn, MidpointRounding.AwayFromZero);
            return new SweepValue(setting, JsonValue.Create(whole), at, whole.ToString(CultureInfo.InvariantCulture));
        }
        return new SweepValue(setting, JsonValue.Create(drawn), at, drawn.ToString("G4", CultureInfo.InvariantCulture));
    }

    /// <summary>A listed value as a node to write into a request (an object or list stays one).</summary>
    private static JsonNode? ToNode(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(value.GetRawText());

    /// <summary>A listed value as the job's name shows it: a string without quotes, anything else as its JSON.</summary>
    private static string Show(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
