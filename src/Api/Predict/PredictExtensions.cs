namespace BackpropService.Api.Predict;

/// <summary>Registers what <c>/predict</c> adds to the models feature (<see cref="Models.ModelsExtensions.AddModels"/>,
/// whose cache it reads): the Swagger description of the binary format.</summary>
public static class PredictExtensions
{
    public static IHostApplicationBuilder AddPredict(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureSwaggerGen(options => options.OperationFilter<BinaryPredictOperationFilter>());
        return builder;
    }
}
