using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Initialization;
using BackpropService.Engine.Optimizers;

namespace BackpropService.Engine.Training;

/// <summary>Everything that decides how a network is trained. Same options and seed ⇒ same weights, bit for bit.</summary>
public sealed record TrainingOptions
{
    /// <summary>Hidden and output layers; the input size comes from the data.</summary>
    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    public CostKind Cost { get; init; } = CostKind.Quadratic;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>η.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>μ for the momentum and Nesterov optimizers.</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>m: 1 is stochastic gradient descent, the training-set size (or more) is full-batch descent.</summary>
    public int BatchSize { get; init; } = 32;

    public required int Epochs { get; init; }

    /// <summary>λ of L2 regularization, book convention (divided by the training-set size n).</summary>
    public float L2 { get; init; }

    /// <summary>λ of L1 regularization, book convention (divided by the training-set size n).</summary>
    public float L1 { get; init; }

    public InitializationKind Initialization { get; init; } = InitializationKind.ScaledNormal;

    public ulong Seed { get; init; } = 42;

    /// <summary>Fraction of the data held out (seeded shuffle) to measure validation loss and accuracy.</summary>
    public double ValidationSplit { get; init; } = 0.1;

    /// <summary>Stop when the validation loss has not improved for this many epochs, and keep the best weights.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Input normalization, fitted on the training part only and stored with the model.</summary>
    public NormalizationKind Normalization { get; init; } = NormalizationKind.None;

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Threads the engine may use for large matrix products; results do not depend on it.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Largest accepted values (the service may set tighter ones).</summary>
    public const int MaxEpochs = 100_000, MaxBatchSize = 1 << 20, MaxThreads = 256;

    /// <summary>Throws <see cref="TrainingOptionsException"/> naming the first field that cannot work with data of this shape.</summary>
    public void Validate(int inputs, int outputs)
    {
        if (Layers is null || Layers.Count == 0)
            throw new TrainingOptionsException("layers", "give at least one layer (the output layer)");
        if (Layers.Count > Network<float>.MaxLayers)
            throw new TrainingOptionsException("layers", $"at most {Network<float>.MaxLayers} layers are allowed, got {Layers.Count}");
        for (int l = 0; l < Layers.Count; l++)
        {
            LayerSpec layer = Layers[l];
            if (layer is null)
                throw new TrainingOptionsException($"layers[{l}]", "layer is missing");
            if (layer.Size < 1 || layer.Size > Network<float>.MaxLayerSize)
                throw new TrainingOptionsException($"layers[{l}].size", $"size must be between 1 and {Network<float>.MaxLayerSize}, got {layer.Size}");
            if (!Enum.IsDefined(layer.Activation))
                throw new TrainingOptionsException($"layers[{l}].activation", $"unknown activation; use {EnumNames.Accepted<ActivationKind>()}");
            if (layer.Activation == ActivationKind.Softmax && l != Layers.Count - 1)
                throw new TrainingOptionsException($"layers[{l}].activation", "softmax is only allowed on the output (last) layer");
        }

        LayerSpec output = Layers[^1];
        int last = Layers.Count - 1;
        if (output.Size != outputs)
            throw new TrainingOptionsException($"layers[{last}].size", $"the output layer must have {outputs} neurons to match the dataset's outputs, got {output.Size}");
        if (output.Activation == ActivationKind.Softmax && output.Size < 2)
            throw new TrainingOptionsException($"layers[{last}].activation", "softmax over a single output is always 1; use sigmoid for one output");
        if (!Enum.IsDefined(Cost))
            throw new TrainingOptionsException("cost", $"unknown cost; use {EnumNames.Accepted<CostKind>()}");
        if (Costs.Cost.For(Cost).Incompatibility(output.Activation) is { } why)
            throw new TrainingOptionsException("cost", why);
        if (!Enum.IsDefined(Optimizer))
            throw new TrainingOptionsException("optimizer", $"unknown optimizer; use {EnumNames.Accepted<OptimizerKind>()}");
        if (!double.IsFinite(LearningRate) || LearningRate <= 0 || LearningRate > 1000)
            throw new TrainingOptionsException("learningRate", $"learning rate must be greater than 0 and at most 1000, got {LearningRate}");
        if (!float.IsFinite(Momentum) || Momentum < 0 || Momentum >= 1)
            throw new TrainingOptionsException("momentum", $"momentum must be in [0, 1), got {Momentum}");
        if (BatchSize < 1 || BatchSize > MaxBatchSize)
            throw new TrainingOptionsException("batchSize", $"batch size must be between 1 and {MaxBatchSize}, got {BatchSize}");
        if (Epochs < 1 || Epochs > MaxEpochs)
            throw new TrainingOptionsException("epochs", $"epochs must be between 1 and {MaxEpochs}, got {Epochs}");
        if (!float.IsFinite(L2) || L2 < 0)
            throw new TrainingOptionsException("l2", $"λ must be a finite number ≥ 0, got {L2}");
        if (!float.IsFinite(L1) || L1 < 0)
            throw new TrainingOptionsException("l1", $"λ must be a finite number ≥ 0, got {L1}");
        if (!Enum.IsDefined(Initialization))
            throw new TrainingOptionsException("init", $"unknown initialization; use {EnumNames.Accepted<InitializationKind>()}");
        if (!double.IsFinite(ValidationSplit) || ValidationSplit < 0 || ValidationSplit >= 1)
            throw new TrainingOptionsException("validationSplit", $"validation split must be in [0, 1), got {ValidationSplit}");
        if (EarlyStoppingPatience is { } patience)
        {
            if (patience < 1)
                throw new TrainingOptionsException("earlyStoppingPatience", $"patience must be at least 1 epoch, got {patience}");
            if (ValidationSplit == 0)
                throw new TrainingOptionsException("earlyStoppingPatience", "early stopping watches the validation loss; set validationSplit above 0");
        }
        if (!Enum.IsDefined(Normalization))
            throw new TrainingOptionsException("normalize", $"unknown normalization; use {EnumNames.Accepted<NormalizationKind>()}");
        if (Threads < 1 || Threads > MaxThreads)
            throw new TrainingOptionsException("threads", $"threads must be between 1 and {MaxThreads}, got {Threads}");

        LearningRateSchedule schedule = Schedule ?? LearningRateSchedule.Constant;
        if (!Enum.IsDefined(schedule.Kind))
            throw new TrainingOptionsException("schedule.kind", $"unknown schedule; use {EnumNames.Accepted<LearningRateScheduleKind>()}");
        if (schedule.Kind != LearningRateScheduleKind.Constant)
        {
            if (!double.IsFinite(schedule.Factor) || schedule.Factor <= 0 || schedule.Factor >= 1)
                throw new TrainingOptionsException("schedule.factor", $"the decay factor must be in (0, 1), got {schedule.Factor}");
            if (schedule.StepEpochs < 1)
                throw new TrainingOptionsException("schedule.stepEpochs", $"step must be at least 1 epoch, got {schedule.StepEpochs}");
            if (schedule.Patience < 1)
                throw new TrainingOptionsException("schedule.patience", $"patience must be at least 1 epoch, got {schedule.Patience}");
            if (!double.IsFinite(schedule.MinLearningRate) || schedule.MinLearningRate < 0)
                throw new TrainingOptionsException("schedule.minLearningRate", $"the minimum learning rate must be ≥ 0, got {schedule.MinLearningRate}");
        }
    }
}
