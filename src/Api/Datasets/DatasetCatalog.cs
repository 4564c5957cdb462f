using System.Collections.Concurrent;
using BackpropService.Api.Mapping;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using BackpropService.Engine;
using BackpropService.Engine.Data;
using BackpropService.Engine.Serialization;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Datasets;

/// <summary>
/// Finds datasets by id: the built-in synthetic ones (generated, deterministic) and the uploaded ones
/// (stored in the database; the read endpoints get them through <see cref="DatasetCache"/>).
/// </summary>
public sealed class DatasetCatalog(IDbContextFactory<BackpropDbContext> dbFactory, DatasetCache cache)
{
    /// <summary>Built-in datasets are generated with this seed, so every job and evaluation sees the same samples.</summary>
    public const ulong BuiltInSeed = 42;

    private static readonly ConcurrentDictionary<string, Dataset> BuiltIns = new(StringComparer.OrdinalIgnoreCase);

    public static bool IsBuiltIn(string id) => SyntheticDatasets.Names.Contains(id, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The lock (<see cref="DatabaseDialect.BeginWriteTransactionAsync"/>) under which a job submit checks that its
    /// dataset exists and a dataset delete checks that no queued or running job needs it.
    /// </summary>
    public static string WriteLock(string id) => $"dataset:{id}";

    public static IEnumerable<DatasetInfo> ListBuiltIns() =>
        SyntheticDatasets.Names.Select(name => Describe(name, BuiltIn(name), builtIn: true, createdAt: null));

    public static Dataset BuiltIn(string id) =>
        BuiltIns.GetOrAdd(id.ToLowerInvariant(), name => SyntheticDatasets.Create(name, seed: BuiltInSeed));

    public async Task<DatasetInfo?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (IsBuiltIn(id)) return Describe(id.ToLowerInvariant(), BuiltIn(id), builtIn: true, createdAt: null);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return entity is null ? null : ToContract(entity);
    }

    /// <summary>The dataset's samples, or null when there is no such dataset; read from the database each time.</summary>
    /// <remarks>
    /// For training, which holds its dataset for the whole job anyway and splits and normalizes its own copies: going
    /// through the cache would only keep a second reference alive after the job, counted against the read endpoints' budget.
    /// </remarks>
    public Dataset? Load(string id)
    {
        if (IsBuiltIn(id)) return BuiltIn(id);
        using var db = dbFactory.CreateDbContext();
        var data = db.DatasetContents.AsNoTracking().Where(c => c.DatasetId == id).Select(c => c.Data).FirstOrDefault();
        return data is null ? null : DatasetSerializer.FromBytes(data);
    }

    /// <summary>
    /// The dataset's samples for a read endpoint, or null when there is no such dataset: from <see cref="DatasetCache"/>
    /// when held, else read and decoded (and kept if it fits). The samples are shared between requests: read them only.
    /// </summary>
    /// <param name="cancellationToken">The request's: a caller who gives up stops the read, before the decode if not sooner.</param>
    public async Task<Dataset?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (IsBuiltIn(id)) return BuiltIn(id);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One indexed lookup per request, so a dataset deleted through another process is not served from memory here.
        if (!await db.Datasets.AnyAsync(d => d.Id == id, cancellationToken))
        {
            if (cache.Holds(id)) cache.Remove(id);
            return null;
        }
        return await cache.GetOrLoadAsync(id, async token =>
        {
            var data = await db.DatasetContents.AsNoTracking().Where(c => c.DatasetId == id).Select(c => c.Data)
                .FirstOrDefaultAsync(token);
            if (data is null) return null;
            token.ThrowIfCancellationRequested();
            return DatasetSerializer.FromBytes(data);
        }, cancellationToken);
    }

    public static DatasetInfo ToContract(DatasetEntity entity) => new(
        entity.Id, entity.Name, entity.Task, entity.Samples, entity.Features, entity.Outputs, entity.Classes,
        BuiltIn: false, entity.CreatedAt.AsUtc(), EntityMapping.CreatorOf(entity.CreatedByKeyId, entity.CreatedByName),
        ToContract(ShapeOf(entity)));

    public static DatasetInfo Describe(string id, Dataset dataset, bool builtIn, DateTimeOffset? createdAt) => new(
        id, dataset.Name, dataset.Task.ToContract(), dataset.Samples, dataset.Features, dataset.Outputs,
        dataset.ClassNames?.ToList(), builtIn, createdAt, Shape: ToContract(dataset.Shape));

    /// <summary>What a job's checks need to know of the dataset (features, outputs, samples, shape), from its description.</summary>
    public static DataShape DataShapeOf(DatasetInfo dataset) =>
        new(dataset.Features, dataset.Outputs, dataset.Samples, dataset.Id) { Shape = FromContract(dataset.Shape) };

    /// <summary>The row's shape columns as they are written: all three, or none for a flat dataset.</summary>
    public static void SetShape(DatasetEntity entity, TensorShape? shape)
    {
        entity.ShapeChannels = shape?.Channels;
        entity.ShapeHeight = shape?.Height;
        entity.ShapeWidth = shape?.Width;
    }

    private static TensorShape? ShapeOf(DatasetEntity entity) =>
        entity is { ShapeChannels: { } channels, ShapeHeight: { } height, ShapeWidth: { } width }
            ? new TensorShape(channels, height, width)
            : null;

    /// <summary>On the wire: [channels, height, width], or null for a flat dataset.</summary>
    private static int[]? ToContract(TensorShape? shape) => shape is { } s ? [s.Channels, s.Height, s.Width] : null;

    private static TensorShape? FromContract(IReadOnlyList<int>? shape) => shape is [var channels, var height, var width]
        ? new TensorShape(channels, height, width)
        : null;
}
