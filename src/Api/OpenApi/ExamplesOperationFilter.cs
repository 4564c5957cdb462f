using System.Text.Json;
using BackpropService.Contracts.Json;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackpropService.Api.OpenApi;

/// <summary>Puts <see cref="RequestExamples"/> and <see cref="MultipartForm"/> metadata into the document,
/// so every request in Swagger UI starts from a body that works.</summary>
public sealed class ExamplesOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;

        if (metadata.OfType<MultipartForm>().FirstOrDefault() is { } form)
        {
            var schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>(),
                Required = new HashSet<string>(),
            };
            foreach (var field in form.Fields)
            {
                schema.Properties[field.Name] = field.IsFile
                    ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = field.Description }
                    : new OpenApiSchema { Type = JsonSchemaType.String, Description = field.Description };
                if (field.Required) schema.Required.Add(field.Name);
            }
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["multipart/form-data"] = new() { Schema = schema },
                },
            };
        }

        foreach (var examples in metadata.OfType<RequestExamples>())
        {
            if (operation.RequestBody?.Content is null
                || !operation.RequestBody.Content.TryGetValue(examples.ContentType, out var media))
                continue;
            media.Examples ??= new Dictionary<string, IOpenApiExample>();
            foreach (var example in examples.Examples)
            {
                media.Examples[example.Name] = new OpenApiExample
                {
                    Summary = example.Summary,
                    Value = JsonSerializer.SerializeToNode(example.Value, example.Value.GetType(), ContractJson.Options),
                };
            }
        }
    }
}
