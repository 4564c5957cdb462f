namespace BackpropService.Api.Datasets;

/// <summary>
/// Registers what the datasets feature owns: the catalog of built-in and uploaded datasets, the upload limiter, the
/// cache of decoded datasets for the read endpoints, and the limiter of those reads.
/// </summary>
public static class DatasetsExtensions
{
    public static IHostApplicationBuilder AddDatasets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DatasetCatalog>();
        builder.Services.AddSingleton<DatasetUploadLimiter>();
        builder.Services.AddSingleton<DatasetCache>();
        builder.Services.AddSingleton<DatasetReadLimiter>();
        return builder;
    }

    /// <summary>Puts the endpoint behind <see cref="DatasetReadLimiter"/> and documents its 503.</summary>
    public static RouteHandlerBuilder WithDatasetReadLimit(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter((context, next) =>
                context.HttpContext.RequestServices.GetRequiredService<DatasetReadLimiter>().InvokeAsync(context, next))
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
