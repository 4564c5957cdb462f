using System.Security.Claims;
using BackpropService.Api.Access;
using BackpropService.Api.Mapping;
using BackpropService.Api.Models;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Persistence;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Apis;

/// <summary>
/// <c>/api/models/{name}/aliases</c>: named pointers to one version of a model (<c>prod</c>, <c>staging</c>), so that
/// callers of <c>/predict</c> with <c>name@alias</c> are moved only when an admin moves the alias, not by a new
/// training job of the same name. Every write goes through <see cref="IModelChanges"/>, so a move takes effect for
/// every request that starts after it commits.
/// </summary>
public static class AliasesApi
{
    public static IEndpointRouteBuilder MapAliasesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/models/{name}/aliases").WithTags("Models");
        api.MapGet("/", ListAliases).WithSummary("Lists the model's aliases and the versions they point to.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AccessPolicies.Predict);
        api.MapPut("/{alias}", SetAlias)
            .WithSummary("Points the alias at an existing version (creating or moving it); /predict with name@alias follows from the next request on.")
            .WithJsonExamples(
                new RequestExample("pin", "Point the alias at version 1", new SetAliasRequest(1)),
                new RequestExample("promote", "Move the alias to version 2", new SetAliasRequest(2)))
            .ProducesJsonBodyProblems()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AccessPolicies.Admin);
        api.MapDelete("/{alias}", DeleteAlias).WithSummary("Removes the alias; name@alias is then 404 (the versions stay).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AccessPolicies.Admin);
        return app;
    }

    public static async Task<Results<Ok<List<ModelAlias>>, ProblemHttpResult>> ListAliases(
        string name, IDbContextFactory<BackpropDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var aliases = await ModelStore.ListAliasesAsync(db, name, cancellationToken);
        if (aliases.Count == 0 && !await db.Models.AnyAsync(m => m.Name == name, cancellationToken))
            return ApiProblems.NotFound("Model", "name", $"There is no model named '{name}'.");
        return TypedResults.Ok(aliases);
    }

    public static async Task<Results<Ok<ModelAlias>, ValidationProblem, ProblemHttpResult>> SetAlias(
        string name, string alias, SetAliasRequest request, ClaimsPrincipal user, IDbContextFactory<BackpropDbContext> dbFactory,
        IModelChanges changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!ModelReference.IsAliasName(alias)) errors.Add("alias", $"'{alias}' cannot be an alias. {ModelReference.AliasRule}");
        if (request.Version is not > 0) errors.Add("version", "Required: the existing version (1 or more) the alias points to.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        int version = request.Version!.Value;
        var updatedBy = user.RequiredCaller().AsCreator;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Dropped from the cache before the write and again after it: the next request after the commit reads the new version.
        await using (changes.BeginWrite(name, modelId: null))
        {
            // The version's existence and the alias are checked and written under the name's lock, and deleting a
            // version refuses under the same lock while an alias points to it, so an alias never points to a deleted version.
            await using var transaction = await db.Database.BeginWriteTransactionAsync(ModelStore.WriteLock(name), cancellationToken);
            string? modelId = await db.Models.Where(m => m.Name == name && m.Version == version).Select(m => m.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (modelId is null)
            {
                var (part, detail) = await ModelStore.ExplainMissingAsync(db, new ModelReference(name, null, version), cancellationToken);
                return ApiProblems.NotFound("Model", part, detail);
            }
            var entity = await db.ModelAliases.FindAsync([name, alias], cancellationToken);
            if (entity is null) db.ModelAliases.Add(entity = new ModelAliasEntity { Name = name, Alias = alias });
            entity.Version = version;
            entity.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            entity.UpdatedByKeyId = updatedBy.Id;
            entity.UpdatedByName = updatedBy.Name;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return TypedResults.Ok(entity.ToContract(modelId));
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAlias(
        string name, string alias, IDbContextFactory<BackpropDbContext> dbFactory, IModelChanges changes, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        int deleted;
        await using (changes.BeginWrite(name, modelId: null))
            deleted = await db.ModelAliases.Where(a => a.Name == name && a.Alias == alias).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 1) return TypedResults.NoContent();
        var (part, detail) = ModelReference.IsAliasName(alias)
            ? await ModelStore.ExplainMissingAsync(db, new ModelReference(name, alias, null), cancellationToken)
            : ("alias", $"'{alias}' cannot be an alias. {ModelReference.AliasRule}");
        return ApiProblems.NotFound("Alias", part, detail);
    }
}
