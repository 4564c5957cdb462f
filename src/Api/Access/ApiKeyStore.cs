using System.Collections.Concurrent;
using BackpropService.Api.Cluster;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Access;

/// <summary>
/// Finds the key a request presents, by the hash of its secret. Keys are held in memory after their first
/// use, so a request with a known key touches no database.
/// </summary>
/// <remarks>
/// Revocation must hold for every request that starts after it commits. Every change to the keys goes
/// through <see cref="BeginChange"/>: it empties the cache and bumps a generation before the write and again
/// after it, and a lookup that started before (or during) a change finds the generation moved and answers
/// its own request without filling the cache. So once a revocation has committed, no later request can be
/// let in by a copy read before it. Other processes of the service forget their copies before the change's caller
/// gets its answer (<see cref="IPeerProcesses.ForgetEverywhereAsync"/>); while this process cannot hear theirs
/// (<see cref="IPeerProcesses.HearsChanges"/>: Redis is away), every lookup reads the database.
/// </remarks>
public sealed class ApiKeyStore(IDbContextFactory<BackpropDbContext> dbFactory, TimeProvider clock, IPeerProcesses peers)
{
    private readonly ConcurrentDictionary<string, StoredKey> _byHash = new(StringComparer.Ordinal);
    private readonly Lock _changeLock = new();
    private long _generation;
    private int _changesInProgress;

    /// <summary>A key as the authentication handler needs it.</summary>
    public sealed record StoredKey(string Id, string Name, IReadOnlyList<ApiKeyScope> Scopes, DateTime? ExpiresAt, DateTime? RevokedAt);

    /// <summary>The key whose secret is <paramref name="secret"/>, revoked and expired ones included; null if none.</summary>
    public async ValueTask<StoredKey?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        string hash = ApiKeySecret.Hash(secret);
        bool hearsChanges = peers.HearsChanges;
        if (hearsChanges && _byHash.TryGetValue(hash, out var cached)) return cached;

        long generation;
        lock (_changeLock) generation = _generation;
        StoredKey? found;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            found = await db.ApiKeys.AsNoTracking().Where(k => k.Hash == hash)
                .Select(k => new StoredKey(k.Id, k.Name, k.Scopes, k.ExpiresAt, k.RevokedAt))
                .FirstOrDefaultAsync(cancellationToken);
        }
        if (found is not null && hearsChanges && peers.HearsChanges)
            lock (_changeLock)
                if (_generation == generation && _changesInProgress == 0) _byHash[hash] = found;
        return found;
    }

    /// <summary>Whether <paramref name="key"/> authenticates at this moment: not revoked, not expired.</summary>
    public bool IsUsable(StoredKey key, out string? whyNot)
    {
        whyNot = key.RevokedAt is not null ? "The API key was revoked."
            : key.ExpiresAt is { } expires && expires <= clock.GetUtcNow().UtcDateTime ? $"The API key expired at {expires:u}."
            : null;
        return whyNot is null;
    }

    /// <summary>
    /// Announces a write to the keys (create, revoke) before it commits. Dispose the result once the write has
    /// committed or failed; until then nothing is served from memory or put into it. Disposing returns once the other
    /// processes of the service (if any) have forgotten their copies too.
    /// </summary>
    public IAsyncDisposable BeginChange()
    {
        lock (_changeLock)
        {
            _changesInProgress++;
            _generation++;
            _byHash.Clear();
        }
        return new ChangeScope(this);
    }

    /// <summary>Forgets every held key; for changes made by another process (told over the event channel).</summary>
    public void Invalidate()
    {
        lock (_changeLock)
        {
            _generation++;
            _byHash.Clear();
        }
    }

    private Task EndChangeAsync()
    {
        lock (_changeLock)
        {
            _generation++;
            _changesInProgress--;
            _byHash.Clear();
        }
        return peers.ForgetEverywhereAsync(new ApiKeysChanged());
    }

    private sealed class ChangeScope(ApiKeyStore store) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            await store.EndChangeAsync();
        }
    }
}
