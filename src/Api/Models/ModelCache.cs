using System.Collections.Concurrent;
using BackpropService.Api.Cluster;
using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using BackpropService.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Models;

/// <summary>
/// Loaded models for predict, by id (a model id's content never changes) and by name (its latest
/// version), <c>name@alias</c> or <c>name@version</c> (see <see cref="ModelReference"/>). A hit touches no
/// database. Bounded in bytes: past <see cref="ServiceLimits.ModelCacheBytes"/> of weights
/// (<see cref="LoadedModel.WeightBytes"/>) the least recently used models are dropped; a model larger than the whole
/// budget answers the request that loaded it and is not kept.
/// </summary>
/// <remarks>
/// Staleness is ruled out by <see cref="IModelChanges.BeginWrite"/>: every write to the models first
/// drops the names and ids it touches and bumps a generation; a load that started before (or during) a
/// write finds the generation changed and answers its own request without filling the cache. So once a
/// job's new version has committed, no request started after that can see the previous "latest". Moving or
/// deleting an alias is a write to its name: it drops the name's <c>name@…</c> entries the same way.
/// A name entry is also re-read from the database every <see cref="NameRefreshMilliseconds"/>, by one
/// request while the others go on using it: a safety net for writes that bypass <see cref="IModelChanges"/>
/// (a database restored or edited by hand). Other processes of the service hear of each write once it has
/// committed (<see cref="IPeerProcesses.ForgetEverywhereAsync"/>), and the write's caller waits until they have
/// forgotten it; their forgetting goes through <see cref="Invalidate"/>.
/// </remarks>
public sealed class ModelCache(IDbContextFactory<BackpropDbContext> dbFactory, IOptions<ServiceLimits> limits, IPeerProcesses peers)
    : IModelChanges
{
    public const long NameRefreshMilliseconds = 5_000;

    private readonly ConcurrentDictionary<string, LoadedModel> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, NameEntry> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingLoad> _loads = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();
    private long _generation;
    private int _writesInProgress;
    private long _heldBytes;
    private long _evictions;

    // Ticks once per use: least recently used is "smallest stamp", with no ties (a clock could give two loads one value).
    private long _useClock;

    /// <summary>Models held now (for tests and diagnostics).</summary>
    public int Count => _byId.Count;

    /// <summary>The <see cref="LoadedModel.WeightBytes"/> of the models held now; at most <see cref="ServiceLimits.ModelCacheBytes"/>.</summary>
    public long Bytes => Interlocked.Read(ref _heldBytes);

    /// <summary>Models dropped so far to stay within <see cref="ServiceLimits.ModelCacheBytes"/>.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Whether the model with this id is held now (asking does not count as a use).</summary>
    public bool Holds(string modelId) => _byId.ContainsKey(modelId);

    /// <summary>
    /// The model with this id, or else the latest version of the model with this name, or else the version that
    /// <c>name@alias</c> or <c>name@version</c> names; null if none exists.
    /// </summary>
    public ValueTask<LoadedModel?> ResolveAsync(string idOrName, CancellationToken cancellationToken)
    {
        if (_byId.TryGetValue(idOrName, out var model))
        {
            model.LastUsed = Interlocked.Increment(ref _useClock);
            return new(model);
        }
        if (_byName.TryGetValue(idOrName, out var named)
            && (Environment.TickCount64 - named.ResolvedAt < NameRefreshMilliseconds || Interlocked.Exchange(ref named.Refreshing, 1) == 1))
        {
            named.Model.LastUsed = Interlocked.Increment(ref _useClock);
            return new(named.Model);
        }
        return new(LoadSharedAsync(idOrName, cancellationToken));
    }

    /// <summary>The model with this id (not a name); null if it does not exist.</summary>
    public async Task<TrainedModel?> GetAsync(string modelId, CancellationToken cancellationToken) =>
        (await ResolveAsync(modelId, cancellationToken)) is { } model && model.Id == modelId ? model.Model : null;

    public IAsyncDisposable BeginWrite(string? name, string? modelId)
    {
        lock (_writeLock)
        {
            _writesInProgress++;
            _generation++;
            Drop(name, modelId);
        }
        return new WriteScope(this, name, modelId);
    }

    private Task EndWriteAsync(string? name, string? modelId)
    {
        lock (_writeLock)
        {
            _generation++;
            _writesInProgress--;
            Drop(name, modelId);
        }
        return peers.ForgetEverywhereAsync(new ModelsChanged(name, modelId));
    }

    /// <summary>Forgets what a write in another process changed (the same names and ids a local write drops).</summary>
    public void Invalidate(string? name, string? modelId)
    {
        lock (_writeLock)
        {
            _generation++;
            Drop(name, modelId);
        }
    }

    /// <summary>Forgets every model held: changes elsewhere may have gone unheard.</summary>
    public void InvalidateAll()
    {
        lock (_writeLock)
        {
            _generation++;
            _byName.Clear();
            foreach (var modelId in _byId.Keys) Drop(name: null, modelId);
        }
    }

    private void Drop(string? name, string? modelId)
    {
        if (name is not null) _byName.TryRemove(name, out _);
        if (modelId is not null && _byId.TryRemove(modelId, out var dropped)) Interlocked.Add(ref _heldBytes, -dropped.WeightBytes);
        // A write to a name may have moved one of its aliases (name@alias); a deleted version may be what a
        // name, alias or version entry held (then the name means the version before it).
        string? pinnedPrefix = name is null ? null : name + ModelReference.Separator;
        foreach (var (key, entry) in _byName)
            if ((pinnedPrefix is not null && key.StartsWith(pinnedPrefix, StringComparison.Ordinal))
                || (modelId is not null && entry.Model.Id == modelId))
                _byName.TryRemove(key, out _);
    }

    /// <summary>Concurrent misses on one key share one load, unless a write came in between.</summary>
    private async Task<LoadedModel?> LoadSharedAsync(string idOrName, CancellationToken cancellationToken)
    {
        PendingLoad? pending;
        lock (_writeLock)
        {
            if (!_loads.TryGetValue(idOrName, out pending) || pending.Generation != _generation || _writesInProgress > 0)
            {
                pending = new PendingLoad(_generation, LoadAsync(idOrName, _generation));
                if (_writesInProgress == 0) _loads[idOrName] = pending;
            }
        }
        try
        {
            return await pending.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            if (pending.Task.IsCompleted) _loads.TryRemove(new KeyValuePair<string, PendingLoad>(idOrName, pending));
        }
    }

    private async Task<LoadedModel?> LoadAsync(string idOrName, long generation)
    {
        await Task.Yield(); // run outside the caller's lock
        ModelEntity? entity;
        byte[]? content = null;
        LoadedModel? loaded = null;
        // Not the request's token: other requests may be waiting for this load.
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            entity = await ModelStore.ResolveAsync(db, idOrName, CancellationToken.None);
            if (entity is null)
            {
                // Gone (deleted behind the cache's back, say): forget a name entry being refreshed.
                lock (_writeLock)
                    if (_generation == generation) _byName.TryRemove(idOrName, out _);
                return null;
            }
            if (!_byId.TryGetValue(entity.Id, out loaded))
                content = await db.ModelContents.AsNoTracking().Where(c => c.ModelId == entity.Id).Select(c => c.Data)
                    .FirstOrDefaultAsync();
        }
        if (loaded is null)
        {
            if (content is null) return null; // deleted between the two reads
            loaded = LoadedModel.Create(entity, TrainedModel.FromBytes(content));
        }
        loaded.LastUsed = Interlocked.Increment(ref _useClock);
        lock (_writeLock)
        {
            if (_generation != generation || _writesInProgress > 0) return loaded;
            var held = _byId.GetOrAdd(loaded.Id, loaded);
            if (ReferenceEquals(held, loaded)) Interlocked.Add(ref _heldBytes, loaded.WeightBytes);
            loaded = held;
            if (loaded.Id != idOrName) _byName[idOrName] = new NameEntry(loaded, Environment.TickCount64);
            Trim();
        }
        return loaded;
    }

    /// <summary>Drops the least recently used models until the rest fit in the byte budget (under the write lock).</summary>
    private void Trim()
    {
        long budget = limits.Value.ModelCacheBytes;
        if (_heldBytes <= budget) return;
        foreach (var old in _byId.Values.OrderBy(m => m.LastUsed).ToList())
        {
            if (_heldBytes <= budget) break;
            Drop(name: null, old.Id);
            _evictions++;
        }
    }

    private sealed class NameEntry(LoadedModel model, long resolvedAt)
    {
        public LoadedModel Model { get; } = model;
        public long ResolvedAt { get; } = resolvedAt;
        public int Refreshing;
    }

    private sealed record PendingLoad(long Generation, Task<LoadedModel?> Task);

    private sealed class WriteScope(ModelCache cache, string? name, string? modelId) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            await cache.EndWriteAsync(name, modelId);
        }
    }
}
