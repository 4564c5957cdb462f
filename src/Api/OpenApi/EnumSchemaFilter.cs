using System.Text.Json.Nodes;
using BackpropService.Contracts;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackpropService.Api.OpenApi;

/// <summary>Documents enums the way they travel: strings spelled by <see cref="WireName"/>.</summary>
public sealed class EnumSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        var type = Nullable.GetUnderlyingType(context.Type) ?? context.Type;
        if (!type.IsEnum || schema is not OpenApiSchema concrete) return;
        concrete.Type = JsonSchemaType.String;
        concrete.Format = null;
        concrete.Enum = WireName.All(type).Select(name => (JsonNode)JsonValue.Create(name)).ToList();
    }
}
