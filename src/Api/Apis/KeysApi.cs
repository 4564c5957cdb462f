using System.Security.Claims;
using BackpropService.Api.Access;
using BackpropService.Api.Mapping;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Options;
using BackpropService.Api.Paging;
using BackpropService.Api.Persistence;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Apis;

/// <summary><c>/api/keys</c> (admin): create a key (its secret is shown once), list keys without secrets, revoke one.</summary>
public static class KeysApi
{
    /// <summary>The list's name in its page cursors (and its path under /api).</summary>
    private const string ListName = "keys";

    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/keys").WithTags("Keys").RequireAuthorization(AccessPolicies.Admin);
        api.MapPost("/", CreateKey)
            .WithSummary("Creates an API key. The answer holds its secret: the only time it is shown (only a hash is stored).")
            .WithJsonExamples(
                new RequestExample("service", "A service that only calls /predict",
                    new CreateApiKeyRequest("orders-service", [ApiKeyScope.Predict])),
                new RequestExample("colleague", "A colleague who trains models, for 90 days",
                    new CreateApiKeyRequest("alice", [ApiKeyScope.Train], new DateTimeOffset(DateTime.UtcNow.Date.AddDays(90), TimeSpan.Zero))),
                new RequestExample("prometheus", "Prometheus scraping /metrics",
                    new CreateApiKeyRequest("prometheus", [ApiKeyScope.Metrics])))
            .ProducesJsonBodyProblems();
        api.MapGet("/", ListKeys).WithSummary("Lists the API keys, without their secrets, newest first, a page at a time.");
        api.MapDelete("/{id}", RevokeKey)
            .WithSummary("Revokes a key: every request that starts after this answer is refused with 401. The key stays listed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateKey(
        CreateApiKeyRequest request, ClaimsPrincipal user, IDbContextFactory<BackpropDbContext> dbFactory, ApiKeyStore keys,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        string? name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add("name", "Give the key a name that says who or what uses it.");
        else if (name.Length > ServiceLimits.MaxNameLength) errors.Add("name", $"Use at most {ServiceLimits.MaxNameLength} characters.");
        if (request.Scopes is not { Count: > 0 })
            errors.Add("scopes", "Give at least one scope: predict, train, metrics or admin.");
        if (request.ExpiresAt is { } expires && expires <= now)
            errors.Add("expiresAt", $"The expiry must be in the future (it is {now:u} now); null means never.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var creator = user.RequiredCaller().AsCreator;
        string secret = ApiKeySecret.Generate();
        var entity = new ApiKeyEntity
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = name!,
            Hash = ApiKeySecret.Hash(secret),
            Scopes = request.Scopes!.Distinct().Order().ToList(),
            CreatedAt = now.UtcDateTime,
            ExpiresAt = request.ExpiresAt?.UtcDateTime,
            CreatedByKeyId = creator.Id,
            CreatedByName = creator.Name,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        await using (keys.BeginChange())
        {
            db.ApiKeys.Add(entity);
            await db.SaveChangesAsync(cancellationToken);
        }
        var info = entity.ToContract();
        return TypedResults.Created($"/api/keys/{entity.Id}",
            new CreatedApiKey(info.Id, info.Name, info.Scopes, secret, info.CreatedAt, info.ExpiresAt, info.CreatedBy));
    }

    public static async Task<Results<PagedList<ApiKeyInfo>, ValidationProblem>> ListKeys(
        IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken, string? limit = null, string? after = null)
    {
        var errors = new ValidationErrors();
        if (PageRequest.Read(ListName, limit, after, errors) is not { } page) return TypedResults.ValidationProblem(errors.ToDictionary());
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().NewestFirst(page.After, page.ItemsToRead).ToListAsync(cancellationToken);
        return PagedList<ApiKeyInfo>.From([.. keys.Select(k => k.ToContract())], page, ListName, k => (k.CreatedAt.UtcDateTime, k.Id));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(
        string id, IDbContextFactory<BackpropDbContext> dbFactory, ApiKeyStore keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        int revoked;
        // The cache forgets every key before the write and after it: once this commits, no request is let in by a copy.
        await using (keys.BeginChange())
            revoked = await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), CancellationToken.None);
        if (revoked == 1 || await db.ApiKeys.AnyAsync(k => k.Id == id, cancellationToken)) return TypedResults.NoContent();
        return ApiProblems.NotFound("Key", id);
    }
}
