using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Access;

/// <summary>Who calls, in the access tests: no key, a bad key of each kind, or a key of each scope.</summary>
public enum CallerKind
{
    NoKey,
    UnknownKey,
    ExpiredKey,
    RevokedKey,
    Predict,
    Metrics,
    TrainOwner,
    TrainOther,
    Admin,
}

/// <summary>
/// One service with a key of every <see cref="CallerKind"/>, and things created by
/// <see cref="CallerKind.TrainOwner"/> for the ownership checks.
/// </summary>
public sealed class AccessWorld : IAsyncDisposable
{
    private readonly TempDatabase _database = new();
    private readonly Dictionary<CallerKind, string?> _keys = [];

    private AccessWorld() => Factory = _database.CreateFactory();

    public ServiceFactory Factory { get; }
    public HttpClient Admin { get; private set; } = null!;
    public IReadOnlyDictionary<CallerKind, string?> Keys => _keys;

    public static async Task<AccessWorld> CreateAsync()
    {
        var world = new AccessWorld();
        world.Admin = world.Factory.CreateClient();
        await world.CreateKeysAsync();
        return world;
    }

    public HttpClient ClientFor(CallerKind caller) => Factory.CreateClientWithKey(_keys[caller]);

    /// <summary>Creates a key through the API and returns its secret.</summary>
    public async Task<CreatedApiKey> CreateKeyAsync(string name, params ApiKeyScope[] scopes)
    {
        var response = await Admin.PostAsJsonAsync("/api/keys", new CreateApiKeyRequest(name, scopes), ApiClient.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create key: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<CreatedApiKey>(body, ApiClient.Json)!;
    }

    private async Task CreateKeysAsync()
    {
        _keys[CallerKind.NoKey] = null;
        _keys[CallerKind.UnknownKey] = "bp_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        _keys[CallerKind.Admin] = ServiceFactory.AdminKey;
        _keys[CallerKind.Predict] = (await CreateKeyAsync("predict-service", ApiKeyScope.Predict)).Key;
        _keys[CallerKind.Metrics] = (await CreateKeyAsync("prometheus", ApiKeyScope.Metrics)).Key;
        _keys[CallerKind.TrainOwner] = (await CreateKeyAsync("alice", ApiKeyScope.Train)).Key;
        _keys[CallerKind.TrainOther] = (await CreateKeyAsync("bob", ApiKeyScope.Train)).Key;

        var revoked = await CreateKeyAsync("revoked", ApiKeyScope.Admin);
        var revoke = await Admin.DeleteAsync($"/api/keys/{revoked.Id}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        _keys[CallerKind.RevokedKey] = revoked.Key;

        // A key cannot be created already expired; move its expiry into the past behind the API's back.
        var expired = await CreateKeyAsync("expired", ApiKeyScope.Admin);
        await using (var db = await Factory.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync())
            await db.ApiKeys.Where(k => k.Id == expired.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        _keys[CallerKind.ExpiredKey] = expired.Key;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Factory.DisposeAsync();
        _database.Dispose();
    }
}
