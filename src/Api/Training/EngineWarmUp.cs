using BackpropService.Api.Options;
using BackpropService.Engine;
using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Initialization;
using BackpropService.Engine.Optimizers;
using BackpropService.Engine.Training;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// Compiles the engine's training and predict code at start-up, on a background thread, so that the first job
/// of a fresh process does not pay for it in its first epoch. Measured through the service (bench/README.md,
/// "First epoch"): the first epoch took 60-70 ms longer than the next ones for W1 and W2 alike, also with tiered
/// compilation off — it is the JIT compiling the kernels at full optimization, which no runtime setting avoids
/// (ReadyToRun does not apply to `dotnet run`, and does not keep the AVX-512 kernels). A few tiny epochs of random
/// data over the same code paths (each activation, cost and optimizer; batches below and above the GEMM's packing
/// threshold) cost about as much, once per process, before any job arrives. <c>Training:WarmUp=false</c> turns it off.
/// </summary>
public sealed partial class EngineWarmUp(IOptions<TrainingWorkerOptions> options, ILogger<EngineWarmUp> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.WarmUp) return Task.CompletedTask;
        // Its own thread: CPU work that must not hold up start-up or a thread-pool thread (a job claimed meanwhile
        // simply compiles what it needs alongside).
        new Thread(Run) { IsBackground = true, Name = "engine warm-up" }.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Run()
    {
        try
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            var data = RandomClassification(samples: 80, features: 64, classes: 10);
            foreach (var setup in Setups(options.Value.Threads))
            {
                var trainer = Trainer.Start(data, setup);
                trainer.RunEpoch();
                trainer.CreateCheckpoint();
                var model = trainer.CreateModel();
                model.Predict(data.Input(0), new float[model.Outputs]);
            }
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            LogWarmedUp(logger, elapsed.TotalMilliseconds);
        }
        catch (Exception e)
        {
            // Only a speed-up: a failure here changes nothing for the jobs.
            LogWarmUpFailed(logger, e);
        }
    }

    /// <summary>The book's chapter-1 network (W1), a ReLU/softmax/Adam one (W2), and the remaining kinds.</summary>
    private static IEnumerable<TrainingOptions> Setups(int threads)
    {
        TrainingOptions Setup(ActivationKind hidden, ActivationKind output, CostKind cost, OptimizerKind optimizer, int batch) => new()
        {
            Layers = [new LayerSpec(32, hidden), new LayerSpec(10, output)],
            Cost = cost,
            Optimizer = optimizer,
            BatchSize = batch,
            Epochs = 1,
            LearningRate = 0.01,
            ValidationSplit = 0.2,
            Initialization = InitializationKind.ScaledNormal,
            Threads = threads,
        };
        yield return Setup(ActivationKind.Sigmoid, ActivationKind.Sigmoid, CostKind.Quadratic, OptimizerKind.Sgd, batch: 10);
        yield return Setup(ActivationKind.Relu, ActivationKind.Softmax, CostKind.CrossEntropy, OptimizerKind.Adam, batch: 32);
        yield return Setup(ActivationKind.Tanh, ActivationKind.Softmax, CostKind.CrossEntropy, OptimizerKind.Momentum, batch: 16);
        yield return Setup(ActivationKind.LeakyRelu, ActivationKind.Identity, CostKind.Quadratic, OptimizerKind.Rmsprop, batch: 8);
        yield return Setup(ActivationKind.Relu, ActivationKind.Sigmoid, CostKind.CrossEntropy, OptimizerKind.Nesterov, batch: 64);
    }

    private static Dataset RandomClassification(int samples, int features, int classes)
    {
        var random = new Random(1);
        var inputs = new float[samples * features];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextSingle();
        var labels = new int[samples];
        for (int i = 0; i < samples; i++) labels[i] = i % classes;
        return Dataset.ForClassification("warm-up", features, inputs, labels,
            Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The engine's training and predict code is compiled ({Milliseconds:F0} ms).")]
    private static partial void LogWarmedUp(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The engine warm-up failed; the first job compiles the code it needs instead.")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception exception);
}
