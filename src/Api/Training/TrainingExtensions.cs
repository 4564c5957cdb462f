using BackpropService.Api.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackpropService.Api.Training;

/// <summary>
/// Registers the training queue, worker and event stream. The worker reads datasets and stores models through
/// the features that own them (<see cref="Datasets.DatasetsExtensions.AddDatasets"/>, <see cref="Models.ModelsExtensions.AddModels"/>).
/// Every role has the queue's signal, the cancellations and the event stream (an <c>api</c> process submits, cancels
/// and forwards events); only a process whose role trains runs the worker.
/// </summary>
public static class TrainingExtensions
{
    public static IHostApplicationBuilder AddTraining(this IHostApplicationBuilder builder, ServiceRole role)
    {
        builder.Services.AddSingleton<JobSignal>();
        builder.Services.AddSingleton<JobCancellations>();
        builder.Services.AddSingleton<WorkerLeases>();
        builder.Services.AddSingleton<TrainingEvents>();
        builder.Services.AddSingleton<ITrainingEvents>(services => services.GetRequiredService<TrainingEvents>());
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StorageWriteRetry>();
        builder.Services.AddSingleton<StorageOutage>();
        builder.Services.AddSingleton<StorageRecovery>();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        // Also compiles the predict path, which an api process serves.
        builder.Services.AddHostedService<EngineWarmUp>();
        if (role.Trains()) builder.Services.AddHostedService<TrainingWorker>();
        return builder;
    }
}
