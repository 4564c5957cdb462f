using BackpropService.Api.Datasets;
using BackpropService.Api.Models;
using BackpropService.Api.Options;

namespace BackpropService.Api.Training;

/// <summary>Registers the training queue, worker, event stream and model cache.</summary>
public static class TrainingExtensions
{
    public static IHostApplicationBuilder AddTraining(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrainingWorkerOptions>().BindConfiguration(TrainingWorkerOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<JobSignal>();
        builder.Services.AddSingleton<JobCancellations>();
        builder.Services.AddSingleton<ITrainingEvents, TrainingEvents>();
        builder.Services.AddSingleton<DatasetCatalog>();
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddHostedService<EngineWarmUp>();
        builder.Services.AddHostedService<TrainingWorker>();
        return builder;
    }
}
