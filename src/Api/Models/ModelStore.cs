using BackpropService.Api.Mapping;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using BackpropService.Engine;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Models;

/// <summary>Adds models to the database, giving each the next version of its name; finds them by id, name, name@alias or name@version.</summary>
public static class ModelStore
{
    private const int MaxAttempts = 5;

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
        await using var write = changes.BeginWrite(name, modelId: null);
        for (int attempt = 1; ; attempt++)
        {
            // Versions are "max + 1". The write transaction holds the name's lock from before the read below, so
            // concurrent saves of one name queue up; should another writer still take the version first, the
            // unique (name, version) index refuses this insert and we try again.
            await using var transaction = await db.Database.BeginWriteTransactionAsync(WriteLock(name), cancellationToken);
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
                InputShape = model.Shape.InputShape is { } shape ? EntityMapping.Write(new[] { shape.Channels, shape.Height, shape.Width }) : null,
                Outputs = model.Outputs,
                Classes = model.ClassNames?.ToList(),
                Layers = EntityMapping.Write(model.Layers.Select(l => l.ToContract()).ToList()),
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
    private static bool IsVersionTaken(DbUpdateException e) => e.IsUniqueViolation();

    /// <summary>
    /// The lock (<see cref="DatabaseDialect.BeginWriteTransactionAsync"/>) under which the versions and aliases of the
    /// model named <paramref name="name"/> are checked and written.
    /// </summary>
    public static string WriteLock(string name) => $"model:{name}";


    /// <summary>
    /// The model that <paramref name="reference"/> names (see <see cref="ModelReference"/>): the model with this id, or
    /// else the latest version of the model with this name, or else <c>name@alias</c> / <c>name@version</c>. An exact
    /// name comes first, so a model whose own name holds an '@' keeps answering to it.
    /// </summary>
    public static async Task<ModelEntity?> ResolveAsync(BackpropDbContext db, string reference, CancellationToken cancellationToken) =>
        await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == reference, cancellationToken)
        ?? await db.Models.AsNoTracking().Where(m => m.Name == reference).OrderByDescending(m => m.Version)
            .FirstOrDefaultAsync(cancellationToken)
        ?? (ModelReference.TryParse(reference) is { } pinned ? await ResolveAsync(db, pinned, cancellationToken) : null);

    /// <summary>The version that <c>name@version</c> or <c>name@alias</c> names; null if there is none.</summary>
    public static Task<ModelEntity?> ResolveAsync(BackpropDbContext db, ModelReference reference, CancellationToken cancellationToken)
    {
        var versions = db.Models.AsNoTracking().Where(m => m.Name == reference.Name);
        return reference.Version is { } version
            ? versions.FirstOrDefaultAsync(m => m.Version == version, cancellationToken)
            : versions.FirstOrDefaultAsync(m => db.ModelAliases.Any(a => a.Name == m.Name && a.Alias == reference.Alias && a.Version == m.Version),
                cancellationToken);
    }

    /// <summary>The aliases of the model named <paramref name="name"/>, by alias, each with the id of the version it points to.</summary>
    public static async Task<List<ModelAlias>> ListAliasesAsync(BackpropDbContext db, string name, CancellationToken cancellationToken)
    {
        var rows = await (
            from alias in db.ModelAliases.AsNoTracking()
            where alias.Name == name
            join model in db.Models on new { alias.Name, alias.Version } equals new { model.Name, model.Version } into pointed
            from model in pointed.DefaultIfEmpty()
            orderby alias.Alias
            select new { alias, ModelId = model == null ? null : model.Id }).ToListAsync(cancellationToken);
        return rows.Select(r => r.alias.ToContract(r.ModelId)).ToList();
    }

    /// <summary>Why <paramref name="reference"/> names no model, in words that say what does exist.</summary>
    public static async Task<string> ExplainMissingAsync(BackpropDbContext db, string reference, CancellationToken cancellationToken) =>
        ModelReference.TryParse(reference) is { } pinned && await db.Models.AnyAsync(m => m.Name == pinned.Name, cancellationToken)
            ? (await ExplainMissingAsync(db, pinned, cancellationToken)).Detail
            : $"There is no model with id or name '{reference}'.";

    /// <summary>
    /// Why <c>name@version</c> or <c>name@alias</c> names no model: which part is wrong (<c>name</c>, <c>version</c> or
    /// <c>alias</c>) and a sentence listing the versions or aliases the name has.
    /// </summary>
    public static async Task<(string Part, string Detail)> ExplainMissingAsync(
        BackpropDbContext db, ModelReference reference, CancellationToken cancellationToken)
    {
        string name = reference.Name;
        var versions = await db.Models.Where(m => m.Name == name).OrderBy(m => m.Version).Select(m => m.Version).ToListAsync(cancellationToken);
        if (versions.Count == 0) return ("name", $"There is no model named '{name}'.");
        if (reference.Version is { } version)
            return ("version", $"Model '{name}' has no version {version}; its versions are {Enumerate(versions)}.");

        var aliases = await ListAliasesAsync(db, name, cancellationToken);
        if (aliases.FirstOrDefault(a => a.Alias == reference.Alias) is { } dangling)
            return ("alias", $"Alias '{reference.Alias}' of model '{name}' points to version {dangling.Version}, which no longer exists; "
                + $"move it with PUT /api/models/{name}/aliases/{reference.Alias}.");
        return ("alias", aliases.Count == 0
            ? $"Model '{name}' has no aliases yet; an admin sets one with PUT /api/models/{name}/aliases/{reference.Alias} {{ \"version\": {versions[^1]} }}."
            : $"Model '{name}' has no alias '{reference.Alias}'; its aliases are {string.Join(", ", aliases.Select(a => $"{a.Alias} (version {a.Version})"))}.");
    }

    /// <summary>"1, 2, 3", or for a long history its first and last few.</summary>
    private static string Enumerate(List<int> versions) => versions.Count <= 12
        ? string.Join(", ", versions)
        : $"{string.Join(", ", versions.Take(3))}, …, {string.Join(", ", versions.TakeLast(3))} ({versions.Count} in all)";
}
