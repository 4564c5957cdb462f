namespace BackpropService.Api.Models;

/// <summary>
/// Registers what the models feature owns: the cache of loaded models, which is also the listener that every
/// write to the models table goes through (<see cref="IModelChanges"/>: the trainer storing a model, import, delete).
/// </summary>
public static class ModelsExtensions
{
    public static IHostApplicationBuilder AddModels(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddSingleton<IModelChanges>(services => services.GetRequiredService<ModelCache>());
        return builder;
    }
}
