using BackpropService.Api.Access;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackpropService.Api.OpenApi;

/// <summary>
/// Marks every operation that needs a key with the bearer scheme (so Swagger UI's "Authorize" button sends it),
/// says which scope it needs, and documents its 401 and 403 answers.
/// </summary>
public sealed class SecurityOperationFilter : IOperationFilter
{
    public const string SchemeId = "ApiKey";

    /// <summary>The scheme Swagger UI's "Authorize" dialog fills in: the key as a bearer token.</summary>
    public static OpenApiSecurityScheme Scheme => new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        Description = "An API key (bp_…), sent as 'Authorization: Bearer <key>' (or 'X-Api-Key: <key>'). "
            + "The first admin key is printed at first start and written to admin.key beside the database; POST /api/keys makes more.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any()) return;

        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] }];
        var scopes = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>()
            .Where(AccessPolicies.Scopes.ContainsKey).Select(p => WireName.Of(AccessPolicies.Scopes[p])).Distinct().ToList();
        if (scopes.Count > 0)
            operation.Description = $"Needs a key with the {string.Join(" and ", scopes.Select(s => $"'{s}'"))} scope (or 'admin')."
                + (operation.Description is null ? "" : "\n\n" + operation.Description);

        operation.Responses ??= [];
        operation.Responses.TryAdd("401", ProblemResponse("No API key, or an unknown, expired or revoked one.", context));
        operation.Responses.TryAdd("403", ProblemResponse("The key lacks the scope this needs (named in the answer), or a train key touched what another key created.", context));
    }

    private static OpenApiResponse ProblemResponse(string description, OperationFilterContext context) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new()
            {
                Schema = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository),
            },
        },
    };
}
