using BackpropService.Api.Options;
using BackpropService.Engine.Data;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Datasets;

/// <summary>
/// Uploaded datasets kept decoded for the read endpoints (preview, decision boundary, evaluate), so that asking again
/// does not read and decode the whole dataset again. Bounded by <see cref="ServiceLimits.DatasetCacheBytes"/> of
/// <see cref="Dataset.DecodedBytes"/>: past it the least recently used are dropped, and a dataset larger than the whole
/// budget answers the request that loaded it and is not kept.
/// </summary>
/// <remarks>
/// A dataset's content never changes under its id, so an entry is never stale; it only has to go when the dataset
/// is deleted (<see cref="Remove"/>). A load that began before a removal does not fill the cache, so a delete that
/// races with a read cannot leave the deleted dataset held. Concurrent misses on one id wait for the first load
/// instead of each decoding their own copy; each waits with its own request's token, and if the loading request is
/// cancelled the next one in line loads.
/// </remarks>
public sealed class DatasetCache(IOptions<ServiceLimits> limits)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LoadTurn> _turns = new(StringComparer.Ordinal);
    private long _heldBytes, _useClock, _generation, _loads, _hits, _evictions;

    /// <summary>Datasets held now.</summary>
    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>The decoded bytes held now; at most <see cref="ServiceLimits.DatasetCacheBytes"/>.</summary>
    public long Bytes
    {
        get { lock (_lock) return _heldBytes; }
    }

    /// <summary>Datasets read from the database and decoded so far (misses that completed).</summary>
    public long Loads
    {
        get { lock (_lock) return _loads; }
    }

    /// <summary>Requests answered from memory so far.</summary>
    public long Hits
    {
        get { lock (_lock) return _hits; }
    }

    /// <summary>Datasets dropped so far to stay within the budget.</summary>
    public long Evictions
    {
        get { lock (_lock) return _evictions; }
    }

    /// <summary>Whether the dataset with this id is held now (asking does not count as a use).</summary>
    public bool Holds(string id)
    {
        lock (_lock) return _entries.ContainsKey(id);
    }

    /// <summary>The dataset held under <paramref name="id"/>, or else what <paramref name="load"/> gives (kept if it fits).</summary>
    /// <param name="load">Reads and decodes the dataset, null when there is none; it must honour its token.</param>
    public async Task<Dataset?> GetOrLoadAsync(string id, Func<CancellationToken, Task<Dataset?>> load, CancellationToken cancellationToken)
    {
        if (TryHit(id) is { } held) return held;
        LoadTurn turn = JoinTurn(id);
        try
        {
            await turn.Gate.WaitAsync(cancellationToken);
            try
            {
                // The request before this one in line may have loaded it.
                if (TryHit(id) is { } loadedMeanwhile) return loadedMeanwhile;
                long generation;
                lock (_lock) generation = _generation;
                Dataset? dataset = await load(cancellationToken);
                if (dataset is not null) Keep(id, dataset, generation);
                return dataset;
            }
            finally
            {
                turn.Gate.Release();
            }
        }
        finally
        {
            LeaveTurn(id, turn);
        }
    }

    /// <summary>Forgets the dataset (it was deleted); a load of it in progress will not be kept either.</summary>
    public void Remove(string id)
    {
        lock (_lock)
        {
            _generation++;
            if (_entries.Remove(id, out var entry)) _heldBytes -= entry.Dataset.DecodedBytes;
        }
    }

    private Dataset? TryHit(string id)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(id, out var entry)) return null;
            entry.LastUsed = ++_useClock;
            _hits++;
            return entry.Dataset;
        }
    }

    private void Keep(string id, Dataset dataset, long generation)
    {
        long bytes = dataset.DecodedBytes, budget = limits.Value.DatasetCacheBytes;
        lock (_lock)
        {
            _loads++;
            if (generation != _generation || bytes > budget || _entries.ContainsKey(id)) return;
            _entries[id] = new Entry(dataset) { LastUsed = ++_useClock };
            _heldBytes += bytes;
            while (_heldBytes > budget)
            {
                var (oldestId, oldest) = _entries.MinBy(e => e.Value.LastUsed);
                _entries.Remove(oldestId);
                _heldBytes -= oldest.Dataset.DecodedBytes;
                _evictions++;
            }
        }
    }

    /// <summary>The line of requests loading <paramref name="id"/>; counted, so that it is forgotten once nobody waits in it.</summary>
    private LoadTurn JoinTurn(string id)
    {
        lock (_lock)
        {
            if (!_turns.TryGetValue(id, out var turn)) _turns[id] = turn = new LoadTurn();
            turn.Users++;
            return turn;
        }
    }

    private void LeaveTurn(string id, LoadTurn turn)
    {
        lock (_lock)
            if (--turn.Users == 0) _turns.Remove(id);
    }

    private sealed class Entry(Dataset dataset)
    {
        public Dataset Dataset { get; } = dataset;
        public long LastUsed;
    }

    private sealed class LoadTurn
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Users;
    }
}
