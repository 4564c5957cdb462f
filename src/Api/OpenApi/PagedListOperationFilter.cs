using System.Globalization;
using System.Text.Json.Nodes;
using BackpropService.Api.Paging;
using BackpropService.Contracts;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackpropService.Api.OpenApi;

/// <summary>
/// Documents a paged list (<see cref="PagedListMetadata"/>): what <c>limit</c> and <c>after</c> mean (the handler
/// reads both as text, to answer a bad value with a problem naming it), and the next-page headers of its 200 answer.
/// </summary>
public sealed class PagedListOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<PagedListMetadata>().Any()) return;

        operation.Parameters ??= [];
        Replace(operation.Parameters, new OpenApiParameter
        {
            Name = "limit",
            In = ParameterLocation.Query,
            Description = $"Items per page, 1 to {PageRequest.MaxLimit} (default {PageRequest.DefaultLimit}).",
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Format = "int32",
                Minimum = "1",
                Maximum = PageRequest.MaxLimit.ToString(CultureInfo.InvariantCulture),
                Default = JsonValue.Create(PageRequest.DefaultLimit),
            },
        });
        Replace(operation.Parameters, new OpenApiParameter
        {
            Name = "after",
            In = ParameterLocation.Query,
            Description = $"Where the page starts: the {ListPaging.NextCursorHeader} header of the previous page, unchanged "
                + "(the Link rel=\"next\" header is this same request with it). Leave it out for the first page.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });

        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[ListPaging.NextCursorHeader] = new OpenApiHeader
            {
                Description = "Only when more items follow: the cursor to pass as ?after= for the next page.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
            response.Headers["Link"] = new OpenApiHeader
            {
                Description = "Only when more items follow: <the next page's URL>; rel=\"next\" (RFC 8288).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
    }

    private static void Replace(IList<IOpenApiParameter> parameters, OpenApiParameter parameter)
    {
        int index = parameters.ToList().FindIndex(p => p.Name == parameter.Name && p.In == parameter.In);
        if (index >= 0) parameters[index] = parameter;
        else parameters.Add(parameter);
    }
}
