using BackpropService.Api.Options;
using BackpropService.Contracts;
using BackpropService.Engine;
using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Initialization;
using BackpropService.Engine.Optimizers;
using BackpropService.Engine.Training;
using Activation = BackpropService.Contracts.Activation;
using Cost = BackpropService.Contracts.Cost;
using EpochMetrics = BackpropService.Contracts.EpochMetrics;
using Optimizer = BackpropService.Contracts.Optimizer;

namespace BackpropService.Api.Mapping;

/// <summary>Between wire enums and records (Contracts) and the engine's own types, which never go over the wire.</summary>
public static class EngineMapping
{
    public static ActivationKind ToEngine(this Activation activation) => activation switch
    {
        Activation.Identity => ActivationKind.Identity,
        Activation.Sigmoid => ActivationKind.Sigmoid,
        Activation.Tanh => ActivationKind.Tanh,
        Activation.Relu => ActivationKind.Relu,
        Activation.LeakyRelu => ActivationKind.LeakyRelu,
        Activation.Softmax => ActivationKind.Softmax,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

    public static Activation ToContract(this ActivationKind activation) => activation switch
    {
        ActivationKind.Identity => Activation.Identity,
        ActivationKind.Sigmoid => Activation.Sigmoid,
        ActivationKind.Tanh => Activation.Tanh,
        ActivationKind.Relu => Activation.Relu,
        ActivationKind.LeakyRelu => Activation.LeakyRelu,
        ActivationKind.Softmax => Activation.Softmax,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

    public static CostKind ToEngine(this Cost cost) => cost switch
    {
        Cost.Quadratic => CostKind.Quadratic,
        Cost.CrossEntropy => CostKind.CrossEntropy,
        _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, null),
    };

    public static Cost ToContract(this CostKind cost) => cost switch
    {
        CostKind.Quadratic => Cost.Quadratic,
        CostKind.CrossEntropy => Cost.CrossEntropy,
        _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, null),
    };

    public static OptimizerKind ToEngine(this Optimizer optimizer) => optimizer switch
    {
        Optimizer.Sgd => OptimizerKind.Sgd,
        Optimizer.Momentum => OptimizerKind.Momentum,
        Optimizer.Nesterov => OptimizerKind.Nesterov,
        Optimizer.RmsProp => OptimizerKind.Rmsprop,
        Optimizer.Adam => OptimizerKind.Adam,
        _ => throw new ArgumentOutOfRangeException(nameof(optimizer), optimizer, null),
    };

    public static InitializationKind ToEngine(this Initialization init) => init switch
    {
        Initialization.Normal => InitializationKind.Normal,
        Initialization.ScaledNormal => InitializationKind.ScaledNormal,
        Initialization.Xavier => InitializationKind.Xavier,
        Initialization.He => InitializationKind.He,
        _ => throw new ArgumentOutOfRangeException(nameof(init), init, null),
    };

    public static NormalizationKind ToEngine(this Normalization normalization) => normalization switch
    {
        Normalization.None => NormalizationKind.None,
        Normalization.MinMax => NormalizationKind.MinMax,
        Normalization.Standard => NormalizationKind.Standard,
        _ => throw new ArgumentOutOfRangeException(nameof(normalization), normalization, null),
    };

    public static TaskKind ToEngine(this LearningTask task) =>
        task == LearningTask.Classification ? TaskKind.Classification : TaskKind.Regression;

    public static LearningTask ToContract(this TaskKind task) =>
        task == TaskKind.Classification ? LearningTask.Classification : LearningTask.Regression;

    public static LayerType ToContract(this LayerKind kind) => kind switch
    {
        LayerKind.Dense => LayerType.Dense,
        LayerKind.Conv2d => LayerType.Conv2d,
        LayerKind.MaxPool => LayerType.MaxPool,
        LayerKind.Dropout => LayerType.Dropout,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A layer as the engine builds it; the shape has every default filled in (the job validator made it).</summary>
    public static LayerSpec ToEngine(this LayerShape layer) => layer.Type switch
    {
        LayerType.Dense => LayerSpec.Dense(layer.Size ?? 0, (layer.Activation ?? Activation.Identity).ToEngine()),
        LayerType.Conv2d => LayerSpec.Conv2d(layer.Filters ?? 0, layer.Kernel ?? 0, (layer.Activation ?? Activation.Identity).ToEngine(),
            layer.Stride ?? 1, layer.Padding ?? 0),
        LayerType.MaxPool => LayerSpec.MaxPool(layer.Size ?? 0),
        LayerType.Dropout => LayerSpec.Dropout(layer.Rate ?? 0),
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Type, null),
    };

    /// <summary>A layer as the API shows it: only the fields of its type.</summary>
    public static LayerShape ToContract(this LayerSpec layer) => layer.Kind switch
    {
        LayerKind.Dense => new LayerShape(layer.Size, layer.Activation.ToContract()),
        LayerKind.Conv2d => new LayerShape(null, layer.Activation.ToContract())
        {
            Type = LayerType.Conv2d, Filters = layer.Filters, Kernel = layer.Kernel, Stride = layer.Stride, Padding = layer.Padding,
        },
        LayerKind.MaxPool => new LayerShape(layer.PoolSize, null) { Type = LayerType.MaxPool },
        LayerKind.Dropout => new LayerShape(null, null) { Type = LayerType.Dropout, Rate = layer.Rate },
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Kind, null),
    };

    /// <summary>The engine's options for a job; <paramref name="threads"/> comes from the service configuration.</summary>
    public static TrainingOptions ToEngine(this JobOptions options, int threads) => new()
    {
        Layers = options.Layers.Select(ToEngine).ToList(),
        Cost = options.Cost.ToEngine(),
        Optimizer = options.Optimizer.ToEngine(),
        LearningRate = options.LearningRate,
        Momentum = (float)options.Momentum,
        BatchSize = options.BatchSize,
        Epochs = options.Epochs,
        L2 = (float)options.L2,
        L1 = (float)options.L1,
        Initialization = options.Init.ToEngine(),
        Seed = options.Seed,
        ValidationSplit = options.ValidationSplit,
        EarlyStoppingPatience = options.EarlyStoppingPatience,
        Normalization = options.Normalize.ToEngine(),
        Threads = threads,
    };

    /// <summary>The service's limits as the engine checks them (never looser than the engine's own).</summary>
    public static TrainingLimits ToEngine(this ServiceLimits limits) => new()
    {
        Network = new NetworkLimits { MaxLayers = limits.MaxLayers, MaxLayerSize = limits.MaxLayerSize, MaxParameters = limits.MaxParameters },
        MaxEpochs = limits.MaxEpochs,
        MaxActivationValues = limits.MaxActivationValues,
    };

    public static EpochMetrics ToContract(this Engine.Training.EpochMetrics metrics, string jobId) => new(
        jobId, metrics.Epoch, metrics.TrainLoss, metrics.TrainAccuracy, metrics.ValidationLoss,
        metrics.ValidationAccuracy, metrics.LearningRate, metrics.GradientNorms, metrics.Seconds);
}
