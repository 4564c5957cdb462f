using Microsoft.OpenApi;

namespace BackpropService.Api.OpenApi;

/// <summary>Swagger (Swashbuckle): the document at /swagger/v1/swagger.json and the UI at /swagger.</summary>
public static class ApiDocumentation
{
    public static IHostApplicationBuilder AddApiDocumentation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "BackpropService",
                Version = "v1",
                Description = "Train feed-forward neural networks with a from-scratch backpropagation engine, "
                    + "then call them. Submit a job (pick an example body), watch GET /api/jobs/{id}, then POST /predict.",
            });
            options.AddSecurityDefinition(SecurityOperationFilter.SchemeId, SecurityOperationFilter.Scheme);
            options.OperationFilter<SecurityOperationFilter>();
            options.OperationFilter<ExamplesOperationFilter>();
            options.OperationFilter<PagedListOperationFilter>();
            options.OperationFilter<EnumQueryParameterOperationFilter>();
            options.SchemaFilter<EnumSchemaFilter>();
            options.SupportNonNullableReferenceTypes();
            options.UseAllOfToExtendReferenceSchemas();
            var xml = Path.Combine(AppContext.BaseDirectory, "BackpropService.Contracts.xml");
            if (File.Exists(xml)) options.IncludeXmlComments(xml);
        });
        return builder;
    }

    public static WebApplication UseApiDocumentation(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/swagger/v1/swagger.json", "BackpropService v1");
            options.DocumentTitle = "BackpropService API";
        });
        return app;
    }
}
