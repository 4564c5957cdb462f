using BackpropService.Api.Models;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackpropService.Api.Predict;

/// <summary>Registers what <c>/predict</c> adds: the cache as the listener of model writes, and the
/// Swagger description of the binary format.</summary>
public static class PredictExtensions
{
    public static IHostApplicationBuilder AddPredict(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<ModelCache>();
        builder.Services.AddSingleton<IModelChanges>(services => services.GetRequiredService<ModelCache>());
        builder.Services.ConfigureSwaggerGen(options => options.OperationFilter<BinaryPredictOperationFilter>());
        return builder;
    }
}
