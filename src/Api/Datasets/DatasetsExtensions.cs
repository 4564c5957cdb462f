namespace BackpropService.Api.Datasets;

/// <summary>Registers what the datasets feature owns: the catalog of built-in and uploaded datasets, and the upload limiter.</summary>
public static class DatasetsExtensions
{
    public static IHostApplicationBuilder AddDatasets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DatasetCatalog>();
        builder.Services.AddSingleton<DatasetUploadLimiter>();
        return builder;
    }
}
