using BackpropService.Api.Models;
using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Predict;
using BackpropService.Contracts;
using BackpropService.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Models;

/// <summary>Every stored model gets its own version of its name, however the saves interleave.</summary>
public sealed class ModelStoreTests
{
    [Fact]
    public async Task Models_imported_at_the_same_time_under_one_name_get_the_versions_one_to_n()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        var imported = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.ImportAsync(PredictClient.XorModel(), "net")));

        Assert.Equal(Enumerable.Range(1, 8), imported.Select(m => m.Version).Order());
    }

    [Fact]
    public async Task A_save_whose_version_was_taken_meanwhile_tries_again_with_the_next_one()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        await factory.CreateClient().ImportAsync(PredictClient.XorModel(), "net");
        var takeVersionOne = new TakeVersionOnce(1);
        var options = database.CreateOptions().AddInterceptors(takeVersionOne).Options;
        await using var db = new BackpropDbContext(options);

        var saved = await ModelStore.SaveAsync(db, factory.Services.GetRequiredService<IModelChanges>(),
            TrainedModel.FromBytes(PredictClient.XorModel()), "net", jobId: null, datasetId: null, metrics: null,
            alsoInTransaction: null, CancellationToken.None);

        Assert.Equal(2, takeVersionOne.Saves);
        Assert.Equal(2, saved.Version);
        var versions = await db.Models.AsNoTracking().Where(m => m.Name == "net").Select(m => m.Version).ToListAsync();
        Assert.Equal([1, 2], versions.Order());
    }

    /// <summary>The first save behaves as if another writer had taken its version: it claims one that exists.</summary>
    private sealed class TakeVersionOnce(int takenVersion) : SaveChangesInterceptor
    {
        public int Saves { get; private set; }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (++Saves == 1)
                foreach (var added in eventData.Context!.ChangeTracker.Entries<ModelEntity>().Where(e => e.State == EntityState.Added))
                    added.Entity.Version = takenVersion;
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}
