using System.Globalization;
using BackpropService.Contracts;
using BackpropService.Web.Components.Shared;

namespace BackpropService.Web.Components.Pages.Compare;

/// <summary>
/// The settings a job was trained with, each as the compare table names and spells it, and which of them differ
/// between jobs. Values are spelled exactly (a learning rate of 0.1 and one of 0.1000001 differ, and show it).
/// </summary>
public static class ComparedSettings
{
    private static readonly (string Name, Func<Job, string> Read)[] Settings =
    [
        ("dataset", job => job.DatasetId),
        ("layers", job => Format.Layers(job.Options.Layers)),
        ("cost", job => WireName.Of(job.Options.Cost)),
        ("optimizer", job => WireName.Of(job.Options.Optimizer)),
        ("learning rate", job => Exact(job.Options.LearningRate)),
        ("momentum", job => Exact(job.Options.Momentum)),
        ("batch size", job => Exact(job.Options.BatchSize)),
        ("epochs", job => Exact(job.Options.Epochs)),
        ("L2", job => Exact(job.Options.L2)),
        ("L1", job => Exact(job.Options.L1)),
        ("init", job => WireName.Of(job.Options.Init)),
        ("seed", job => Exact(job.Options.Seed)),
        ("validation split", job => Exact(job.Options.ValidationSplit)),
        ("early stopping patience", job => job.Options.EarlyStoppingPatience is { } patience ? Exact(patience) : "off"),
        ("normalize", job => WireName.Of(job.Options.Normalize)),
    ];

    /// <summary>The names of every setting compared, in table order.</summary>
    public static IEnumerable<string> Names => Settings.Select(s => s.Name);

    /// <summary>The settings on which at least two of <paramref name="jobs"/> differ, in table order (none for fewer than two jobs).</summary>
    public static IReadOnlyList<SettingRow> Differing(IReadOnlyList<Job> jobs) =>
        Settings.Select(s => new SettingRow(s.Name, jobs.Select(s.Read).ToList()))
            .Where(row => row.Values.Distinct(StringComparer.Ordinal).Skip(1).Any())
            .ToList();

    private static string Exact<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
