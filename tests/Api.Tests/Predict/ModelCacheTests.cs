using System.Net;
using BackpropService.Api.Cluster;
using BackpropService.Api.Models;
using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Predict;

/// <summary>Predict resolves models from memory, and a name never means an outdated version.</summary>
public sealed class ModelCacheTests
{
    [Fact]
    public async Task A_name_means_the_new_version_as_soon_as_its_job_has_succeeded_even_while_the_old_one_is_being_served()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        float[][] input = [[0.5f, -0.5f]];

        var first = await client.WaitUntilFinishedAsync((await client.SubmitJobAsync(PredictClient.XorJob("switch", 1))).Id, TimeSpan.FromMinutes(1));
        Assert.Equal(first.ModelId, (await client.PredictJsonAsync("/predict", new PredictRequest("switch", input))).ModelId);

        // Callers keep asking for "switch" all along, so the old version is cached and re-requested throughout.
        using var stop = new CancellationTokenSource();
        var hammer = Task.Run(async () =>
        {
            using var other = factory.CreateClient();
            while (!stop.IsCancellationRequested)
                await other.PredictJsonAsync("/predict", new PredictRequest("switch", input));
        });
        try
        {
            for (ulong seed = 2; seed <= 4; seed++)
            {
                var job = await client.SubmitJobAsync(PredictClient.XorJob("switch", seed));
                var done = await client.WaitForJobAsync(job.Id, j => j.Status == JobStatus.Succeeded, TimeSpan.FromMinutes(1));
                // The first request after the job reads as succeeded already gets the new version, by JSON and binary.
                Assert.Equal(done.ModelId, (await client.PredictJsonAsync("/predict", new PredictRequest("switch", input))).ModelId);
                Assert.Equal(done.ModelId, (await client.PredictBinaryAsync("/predict", PredictClient.BinaryBody("switch", input))).ModelId);
                var info = await client.GetAsync<ModelInfo>($"/api/models/{done.ModelId}");
                Assert.Equal((int)seed, info.Version);
            }
        }
        finally
        {
            stop.Cancel();
            await hammer;
        }
    }

    [Fact]
    public async Task An_import_switches_the_name_and_a_delete_falls_back_to_the_version_before()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        float[][] input = [[1f, 1f]];

        var v1 = await client.ImportAsync(PredictClient.XorModel(seed: 1), "net");
        Assert.Equal(v1.Id, (await client.PredictJsonAsync("/predict", new PredictRequest("net", input))).ModelId);
        var v2 = await client.ImportAsync(PredictClient.XorModel(seed: 2), "net");
        Assert.Equal(v2.Id, (await client.PredictJsonAsync("/predict", new PredictRequest("net", input))).ModelId);
        // The old version is still there by id.
        Assert.Equal(v1.Id, (await client.PredictJsonAsync("/predict", new PredictRequest(v1.Id, input))).ModelId);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/models/{v2.Id}")).StatusCode);
        Assert.Equal(v1.Id, (await client.PredictJsonAsync("/predict", new PredictRequest("net", input))).ModelId);
        var gone = await client.PostAsync($"/api/models/{v2.Id}/predict", PredictClient.Binary(PredictClient.BinaryBody(null, input)));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/models/{v1.Id}")).StatusCode);
        var none = await client.PostAsync("/predict", PredictClient.Binary(PredictClient.BinaryBody("net", input)));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task A_cache_hit_touches_no_database()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var model = await factory.CreateClient().ImportAsync(PredictClient.XorModel(), "net");
        var counting = new CountingFactory(factory.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>());
        var cache = new ModelCache(counting, Microsoft.Extensions.Options.Options.Create(new ServiceLimits()), new NoPeerProcesses());

        Assert.Equal(model.Id, (await cache.ResolveAsync("net", default))!.Id);
        Assert.Equal(model.Id, (await cache.ResolveAsync(model.Id, default))!.Id);
        int afterFirst = counting.Contexts;
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(model.Id, (await cache.ResolveAsync("net", default))!.Id);
            Assert.Equal(model.Id, (await cache.ResolveAsync(model.Id, default))!.Id);
        }
        Assert.Equal(afterFirst, counting.Contexts);
        Assert.Null(await cache.ResolveAsync("nothing-by-this-name", default));
    }

    [Fact]
    public async Task Past_its_byte_budget_the_cache_drops_the_least_recently_used_models_by_their_weight_bytes()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        // Weights and biases plus the normalizer's offset and scale per input, 4 bytes each:
        // 2-8-2 has 3·8 + 9·2 + 2·2 = 46 numbers (184 bytes), 2-64-2 has 3·64 + 65·2 + 2·2 = 326 (1,304 bytes).
        var small1 = await client.ImportAsync(PredictClient.XorModel(seed: 1), "small-1");
        var small2 = await client.ImportAsync(PredictClient.XorModel(seed: 2), "small-2");
        var large = await client.ImportAsync(PredictClient.XorModel(seed: 3, hidden: 64), "large");
        // Room for the large model and one small one, not both small ones besides: 2 models, where a count would keep 3.
        var cache = new ModelCache(factory.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>(),
            Microsoft.Extensions.Options.Options.Create(new ServiceLimits { ModelCacheBytes = 1_500 }), new NoPeerProcesses());

        Assert.Equal(184, (await cache.ResolveAsync(small1.Id, default))!.WeightBytes);
        await cache.ResolveAsync(small2.Id, default);
        await cache.ResolveAsync(small1.Id, default); // small-1 is now the more recently used
        Assert.Equal(1_304, (await cache.ResolveAsync(large.Id, default))!.WeightBytes);

        Assert.True(cache.Holds(small1.Id));
        Assert.False(cache.Holds(small2.Id));
        Assert.True(cache.Holds(large.Id));
        Assert.Equal(184 + 1_304, cache.Bytes);
        Assert.Equal(1, cache.Evictions);

        // A model larger than the whole budget answers its request and is not kept.
        var tight = new ModelCache(factory.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>(),
            Microsoft.Extensions.Options.Options.Create(new ServiceLimits { ModelCacheBytes = 1_000 }), new NoPeerProcesses());
        Assert.Equal(large.Id, (await tight.ResolveAsync("large", default))!.Id);
        Assert.Equal(0, tight.Count);
        Assert.Equal(0, tight.Bytes);
    }

    [Fact]
    public async Task A_load_that_read_the_database_before_a_new_version_was_stored_does_not_fill_the_cache()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var v1 = await client.ImportAsync(PredictClient.XorModel(seed: 1), "net");
        var gate = new ReadGate("ModelContents");
        var options = database.CreateOptions().AddInterceptors(gate).Options;
        var cache = new ModelCache(new OptionsFactory(options), Microsoft.Extensions.Options.Options.Create(new ServiceLimits()), new NoPeerProcesses());

        // A load reads "net" = v1 from the database and is held just after its reads ...
        gate.Close();
        var slow = cache.ResolveAsync("net", default).AsTask();
        await gate.Held.WaitAsync(TimeSpan.FromSeconds(10));
        // ... while v2 is stored and committed, announced as the job runner and the import announce it.
        string v2;
        await using (cache.BeginWrite("net", modelId: null))
            v2 = (await client.ImportAsync(PredictClient.XorModel(seed: 2), "net")).Id;
        gate.Open();
        Assert.Equal(v1.Id, (await slow)!.Id); // it answers the request that started before the write,

        // but does not fill the cache with it: the next request reads the database again and gets v2.
        Assert.Equal(v2, (await cache.ResolveAsync("net", default))!.Id);
        Assert.Equal(v2, (await cache.ResolveAsync("net", default))!.Id);
    }

    private sealed class OptionsFactory(DbContextOptions<BackpropDbContext> options) : IDbContextFactory<BackpropDbContext>
    {
        public BackpropDbContext CreateDbContext() => new(options);
    }

    /// <summary>Counts the contexts the cache creates.</summary>
    private sealed class CountingFactory(IDbContextFactory<BackpropDbContext> inner) : IDbContextFactory<BackpropDbContext>
    {
        private int _contexts;

        public int Contexts => Volatile.Read(ref _contexts);

        public BackpropDbContext CreateDbContext()
        {
            Interlocked.Increment(ref _contexts);
            return inner.CreateDbContext();
        }

        public Task<BackpropDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _contexts);
            return inner.CreateDbContextAsync(cancellationToken);
        }
    }
}
