using BackpropService.Api.Mapping;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using BackpropService.Engine;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Models;

/// <summary>Adds models to the database, giving each the next version of its name.</summary>
public static class ModelStore
{
    // Versions are "max + 1"; one writer at a time keeps them unique within this process, and the
    // unique (name, version) index guards against anything else.
    private static readonly Lock VersionLock = new();

    /// <summary>
    /// Adds the model and saves <paramref name="db"/>'s pending changes with it, in one transaction;
    /// <paramref name="changes"/> hears of it before the commit and after it, so that no cached "latest"
    /// of <paramref name="name"/> outlives the commit.
    /// </summary>
    public static ModelEntity SaveWith(BackpropDbContext db, IModelChanges changes, TrainedModel model, string name, string? jobId,
        string? datasetId, EpochMetrics? metrics, Action<ModelEntity>? alsoInTransaction = null)
    {
        var bytes = model.ToBytes();
        lock (VersionLock)
        {
            using var write = changes.BeginWrite(name, modelId: null);
            using var transaction = db.Database.BeginTransaction();
            int version = (db.Models.Where(m => m.Name == name).Max(m => (int?)m.Version) ?? 0) + 1;
            var entity = new ModelEntity
            {
                Id = Guid.NewGuid().ToString("N"),
                Name = name,
                Version = version,
                JobId = jobId,
                DatasetId = datasetId,
                Task = model.Task.ToContract(),
                Inputs = model.Inputs,
                Outputs = model.Outputs,
                Classes = model.ClassNames?.ToList(),
                Layers = EntityMapping.Write(model.Layers.Select(l => new LayerShape(l.Size, l.Activation.ToContract())).ToList()),
                Metrics = metrics is null ? null : EntityMapping.Write(metrics),
                CreatedAt = DateTime.UtcNow,
                Content = null,
            };
            db.Models.Add(entity);
            db.ModelContents.Add(new ModelContentEntity { ModelId = entity.Id, Data = bytes });
            alsoInTransaction?.Invoke(entity);
            db.SaveChanges();
            transaction.Commit();
            return entity;
        }
    }

    /// <summary>The model with this id, or else the latest version of the model with this name.</summary>
    public static async Task<ModelEntity?> ResolveAsync(BackpropDbContext db, string idOrName, CancellationToken cancellationToken) =>
        await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == idOrName, cancellationToken)
        ?? await db.Models.AsNoTracking().Where(m => m.Name == idOrName).OrderByDescending(m => m.Version)
            .FirstOrDefaultAsync(cancellationToken);
}
