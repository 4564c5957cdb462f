using BackpropService.Api.Mapping;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using BackpropService.Engine;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Models;

/// <summary>Adds models to the database, giving each the next version of its name.</summary>
public static class ModelStore
{
    private const int MaxAttempts = 5;

    // SQLite's result codes SQLITE_CONSTRAINT and SQLITE_CONSTRAINT_UNIQUE.
    private const int ConstraintFailed = 19, UniqueConstraintFailed = 2067;

    /// <summary>
    /// Adds the model and saves <paramref name="db"/>'s pending changes with it, in one transaction;
    /// <paramref name="changes"/> hears of it before the commit and after it, so that no cached "latest"
    /// of <paramref name="name"/> outlives the commit.
    /// </summary>
    /// <param name="alsoInTransaction">Called with the new model before each attempt is saved (it may be called again after a conflict).</param>
    public static async Task<ModelEntity> SaveAsync(BackpropDbContext db, IModelChanges changes, TrainedModel model, string name,
        string? jobId, string? datasetId, EpochMetrics? metrics, Action<ModelEntity>? alsoInTransaction, CancellationToken cancellationToken)
    {
        var bytes = model.ToBytes();
        using var write = changes.BeginWrite(name, modelId: null);
        for (int attempt = 1; ; attempt++)
        {
            // Versions are "max + 1". Microsoft.Data.Sqlite begins transactions IMMEDIATE, so the read below already
            // holds the database's write lock and concurrent saves of one name queue up; should another writer
            // still take the version first, the unique (name, version) index refuses this insert and we try again.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            int version = (await db.Models.Where(m => m.Name == name).MaxAsync(m => (int?)m.Version, cancellationToken) ?? 0) + 1;
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
            var content = new ModelContentEntity { ModelId = entity.Id, Data = bytes };
            db.Models.Add(entity);
            db.ModelContents.Add(content);
            alsoInTransaction?.Invoke(entity);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return entity;
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && IsVersionTaken(e))
            {
                await transaction.RollbackAsync(cancellationToken);
                db.Entry(entity).State = EntityState.Detached;
                db.Entry(content).State = EntityState.Detached;
            }
        }
    }

    /// <summary>A unique index refused the insert: only (name, version) can, as ids are new GUIDs.</summary>
    private static bool IsVersionTaken(DbUpdateException e) =>
        e.InnerException is SqliteException { SqliteErrorCode: ConstraintFailed, SqliteExtendedErrorCode: UniqueConstraintFailed };

    /// <summary>The model with this id, or else the latest version of the model with this name.</summary>
    public static async Task<ModelEntity?> ResolveAsync(BackpropDbContext db, string idOrName, CancellationToken cancellationToken) =>
        await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == idOrName, cancellationToken)
        ?? await db.Models.AsNoTracking().Where(m => m.Name == idOrName).OrderByDescending(m => m.Version)
            .FirstOrDefaultAsync(cancellationToken);
}
