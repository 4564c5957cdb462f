using BackpropService.Contracts;

namespace BackpropService.Web.Components.Pages.Jobs;

/// <summary>The epochs a job page shows, each once, in epoch order, whether it came from the hub or a REST read.</summary>
public sealed class EpochHistory
{
    private readonly SortedDictionary<int, EpochMetrics> _epochs = [];

    public IReadOnlyCollection<EpochMetrics> Epochs => _epochs.Values;

    public EpochMetrics? Latest { get; private set; }

    /// <summary>Each epoch's duration, for the remaining-time estimate.</summary>
    public IReadOnlyCollection<double> Seconds { get; private set; } = [];

    /// <summary>Moves whenever an epoch is added: the charts redraw on it.</summary>
    public int Revision { get; private set; }

    /// <summary>Adds the epochs not seen yet (a resubscription returns the stored ones again).</summary>
    public void Merge(IEnumerable<EpochMetrics> metrics)
    {
        bool changed = false;
        foreach (var m in metrics)
            changed |= _epochs.TryAdd(m.Epoch, m);
        if (!changed) return;
        Latest = _epochs.Values.Last();
        Seconds = _epochs.Values.Select(m => m.Seconds).ToList();
        Revision++;
    }
}
