using System.Text.Json.Nodes;
using BackpropService.Contracts;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackpropService.Api.OpenApi;

/// <summary>Documents each <see cref="EnumQueryParameter"/> as a string parameter limited to the enum's wire names.</summary>
public sealed class EnumQueryParameterOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var parameter in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<EnumQueryParameter>())
        {
            operation.Parameters ??= [];
            var documented = new OpenApiParameter
            {
                Name = parameter.Name,
                In = ParameterLocation.Query,
                Description = parameter.Description,
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = WireName.All(parameter.EnumType).Select(name => (JsonNode)JsonValue.Create(name)).ToList(),
                    Default = JsonValue.Create(parameter.Default),
                },
            };
            int index = operation.Parameters.ToList().FindIndex(p => p.Name == parameter.Name && p.In == ParameterLocation.Query);
            if (index >= 0) operation.Parameters[index] = documented;
            else operation.Parameters.Add(documented);
        }
    }
}
