using System.Diagnostics;
using System.Numerics.Tensors;
using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Initialization;
using BackpropService.Engine.Optimizers;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Bench;

/// <summary>W1 ("nielsen"), W2 ("modern") and W4 ("conv"): seconds per epoch (median of epochs 2..n), samples/s, test accuracy.</summary>
internal static class TrainingBench
{
    /// <summary>784-30-10 sigmoid, quadratic cost, SGD η = 3.0, mini-batch 10, N(0,1) weights and biases.</summary>
    public static TrainingOptions W1(BenchOptions bench) => new()
    {
        Layers = [new LayerSpec(30, ActivationKind.Sigmoid), new LayerSpec(10, ActivationKind.Sigmoid)],
        Cost = CostKind.Quadratic,
        Optimizer = OptimizerKind.Sgd,
        LearningRate = 3.0f,
        BatchSize = 10,
        Epochs = bench.Epochs,
        Initialization = InitializationKind.Normal,
        ValidationSplit = 0,
        Seed = (ulong)bench.Seed,
        Threads = bench.Threads,
    };

    /// <summary>784-256-128-10 ReLU, softmax + cross-entropy, momentum 0.9, lr 0.05, mini-batch 64, He init.</summary>
    public static TrainingOptions W2(BenchOptions bench) => new()
    {
        Layers = [new LayerSpec(256, ActivationKind.Relu), new LayerSpec(128, ActivationKind.Relu), new LayerSpec(10, ActivationKind.Softmax)],
        Cost = CostKind.CrossEntropy,
        Optimizer = OptimizerKind.Momentum,
        LearningRate = 0.05f,
        Momentum = 0.9f,
        BatchSize = 64,
        Epochs = bench.Epochs,
        Initialization = InitializationKind.He,
        ValidationSplit = 0,
        Seed = (ulong)bench.Seed,
        Threads = bench.Threads,
    };

    /// <summary>
    /// 1x28x28 → conv 5x5x20 ReLU → max-pool 2 → conv 5x5x40 ReLU → max-pool 2 → 640-100 ReLU → 100-10 softmax, cross-entropy,
    /// momentum 0.9, lr 0.01, mini-batch 32, He init (the reference's W4, Nielsen's chapter 6 shape).
    /// </summary>
    public static TrainingOptions W4(BenchOptions bench) => new()
    {
        Layers =
        [
            LayerSpec.Conv2d(20, 5, ActivationKind.Relu), LayerSpec.MaxPool(2), LayerSpec.Conv2d(40, 5, ActivationKind.Relu), LayerSpec.MaxPool(2),
            new LayerSpec(100, ActivationKind.Relu), new LayerSpec(10, ActivationKind.Softmax),
        ],
        Cost = CostKind.CrossEntropy,
        Optimizer = OptimizerKind.Momentum,
        LearningRate = 0.01f,
        Momentum = 0.9f,
        BatchSize = 32,
        Epochs = bench.Epochs,
        Initialization = InitializationKind.He,
        ValidationSplit = 0,
        Seed = (ulong)bench.Seed,
        Threads = bench.Threads,
    };

    /// <summary>Trains, prints the RESULT line and the allocation line, and returns the trained model.</summary>
    public static TrainedModel Run(string workload, TrainingOptions options, MnistData data, BenchOptions bench)
    {
        Trainer trainer = Trainer.Start(data.Train, options);
        var seconds = new List<double>();
        long epochAllocated = 0;
        int batchesPerEpoch = (trainer.TrainingSamples + options.BatchSize - 1) / options.BatchSize;
        while (!trainer.IsFinished)
        {
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            long started = Stopwatch.GetTimestamp();
            EpochMetrics metrics = trainer.RunEpoch();
            seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            epochAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            Report.Note($"{workload} epoch {metrics.Epoch} {seconds[^1]:F4}s loss={metrics.TrainLoss:F4} train_acc={metrics.TrainAccuracy:F4}");
        }

        TrainedModel model = trainer.CreateModel();
        double accuracy = TestAccuracy(model, data);
        double perEpoch = Report.Median(seconds.Count > 1 ? seconds.Skip(1) : seconds);
        Report.Result($"engine.{workload}.t{bench.Threads}",
            ("sec_per_epoch", perEpoch),
            ("samples_per_s", trainer.TrainingSamples / perEpoch),
            ("test_acc", accuracy),
            ("epoch1_s", seconds[0]));

        (double thisThread, double allThreads) = SteadyStateAllocation(trainer.Network.Clone(), options, data, bench.Smoke ? 50 : 400);
        Report.Result($"engine.{workload}alloc.t{bench.Threads}",
            ("bytes_per_batch", thisThread),
            ("bytes_per_batch_all_threads", allThreads),
            ("epoch_bytes_per_batch", (double)epochAllocated / batchesPerEpoch));
        return model;
    }

    private static double TestAccuracy(TrainedModel model, MnistData data)
    {
        var output = new float[model.Outputs];
        int correct = 0;
        for (int i = 0; i < data.Test.Samples; i++)
        {
            model.Predict(data.Test.Input(i), output);
            if (TensorPrimitives.IndexOfMax(output) == data.Test.Labels![i]) correct++;
        }
        return (double)correct / data.Test.Samples;
    }

    /// <summary>
    /// Bytes allocated per mini-batch by the engine's per-batch work (backprop, optimizer step) after warm-up:
    /// GC.GetAllocatedBytesForCurrentThread around <paramref name="batches"/> mini-batches, and the process-wide count.
    /// </summary>
    private static (double ThisThread, double AllThreads) SteadyStateAllocation(Network<float> network, TrainingOptions options, MnistData data, int batches)
    {
        network.Threads = options.Threads;
        int rows = options.BatchSize, features = data.Train.Features, outputs = data.Train.Outputs;
        NetworkWorkspace<float> workspace = network.CreateWorkspace(rows);
        var gradients = new float[network.ParameterCount];
        Optimizer optimizer = Optimizer.Create(options.Optimizer, network.ParameterCount, options.Momentum);
        Cost cost = Cost.For(options.Cost);
        int batchCount = data.Train.Samples / rows;

        void Batch(int b)
        {
            int start = (b % batchCount) * rows;
            ReadOnlySpan<float> inputs = data.Train.Inputs.AsSpan(start * features, rows * features);
            ReadOnlySpan<float> targets = data.Train.Targets.AsSpan(start * outputs, rows * outputs);
            network.Backpropagate(inputs, targets, rows, cost, workspace, gradients);
            optimizer.Step(network.Parameters, gradients, (float)options.LearningRate);
        }

        for (int b = 0; b < batches; b++) Batch(b); // warm-up (tiered JIT, thread start-up)
        long thread = GC.GetAllocatedBytesForCurrentThread();
        long all = GC.GetTotalAllocatedBytes(precise: true);
        for (int b = 0; b < batches; b++) Batch(b);
        return ((double)(GC.GetAllocatedBytesForCurrentThread() - thread) / batches,
                (double)(GC.GetTotalAllocatedBytes(precise: true) - all) / batches);
    }
}
