namespace BackpropService.Api.Datasets;

/// <summary>Registers what the datasets feature owns: the catalog of built-in and uploaded datasets.</summary>
public static class DatasetsExtensions
{
    public static IHostApplicationBuilder AddDatasets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DatasetCatalog>();
        return builder;
    }
}
