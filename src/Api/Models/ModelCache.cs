using System.Collections.Concurrent;
using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using BackpropService.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Models;

/// <summary>
/// Loaded models for predict, by id (a model id's content never changes). Bounded: past the limit the
/// least recently used model is dropped.
/// </summary>
public sealed class ModelCache(IDbContextFactory<BackpropDbContext> dbFactory, IOptions<TrainingWorkerOptions> options)
{
    private readonly ConcurrentDictionary<string, Entry> _models = new();

    public async Task<TrainedModel?> GetAsync(string modelId, CancellationToken cancellationToken)
    {
        if (_models.TryGetValue(modelId, out var cached))
        {
            cached.LastUsed = Environment.TickCount64;
            return cached.Model;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bytes = await db.ModelContents.AsNoTracking().Where(c => c.ModelId == modelId).Select(c => c.Data)
            .FirstOrDefaultAsync(cancellationToken);
        if (bytes is null) return null;
        var model = TrainedModel.FromBytes(bytes);
        _models[modelId] = new Entry(model) { LastUsed = Environment.TickCount64 };
        Trim();
        return model;
    }

    public void Remove(string modelId) => _models.TryRemove(modelId, out _);

    private void Trim()
    {
        int excess = _models.Count - options.Value.ModelCacheSize;
        if (excess <= 0) return;
        foreach (var old in _models.OrderBy(e => e.Value.LastUsed).Take(excess).ToList())
            _models.TryRemove(old.Key, out _);
    }

    private sealed class Entry(TrainedModel model)
    {
        public TrainedModel Model { get; } = model;
        public long LastUsed { get; set; }
    }
}
