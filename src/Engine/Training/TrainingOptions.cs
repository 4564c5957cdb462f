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

    /// <summary>The field that names the data in <see cref="Check"/>'s violations (the input size comes from it).</summary>
    public const string DataField = "data";

    /// <summary>Throws <see cref="TrainingOptionsException"/> naming the first field that cannot work with flat data of this size.</summary>
    public void Validate(int inputs, int outputs) => Validate(new DataShape(inputs, outputs));

    /// <summary>Throws <see cref="TrainingOptionsException"/> naming the first field that cannot work with <paramref name="data"/>.</summary>
    public void Validate(DataShape data)
    {
        if (Check(data) is [var first, ..])
            throw new TrainingOptionsException(first.Field, first.Reason);
    }

    /// <summary>The network these options train on <paramref name="data"/>: its features (with their shape, for images) in, <see cref="Layers"/> after.</summary>
    public NetworkShape NetworkFor(DataShape data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new NetworkShape(data.Features, Layers) { InputShape = data.Shape };
    }

    /// <summary>
    /// Every rule these options break for data of this shape, under <paramref name="limits"/> (the engine's own when
    /// null, never looser). With the number of samples it also checks the validation split and the trainer's buffers
    /// (<see cref="TrainingFootprint"/>).
    /// </summary>
    public IReadOnlyList<RuleViolation> Check(DataShape data, TrainingLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        limits ??= TrainingLimits.Engine;
        var violations = new List<RuleViolation>();
        void Add(string field, string reason) => violations.Add(new RuleViolation(field, reason));

        NetworkShape shape = NetworkFor(data);
        violations.AddRange(shape.Check(limits.Network, DataField));
        bool shapeIsValid = violations.Count == 0;
        if (shapeIsValid)
        {
            LayerSpec output = Layers[^1];
            int last = Layers.Count - 1;
            if (output.Size != data.Outputs)
                Add($"layers[{last}].size", $"the output layer must have {data.Outputs} neurons to match {(data.Name is null ? "the dataset's outputs" : $"dataset '{data.Name}' ({data.Outputs} outputs)")}, got {output.Size}");
            if (output.Activation == ActivationKind.Softmax && output.Size < 2)
                Add($"layers[{last}].activation", "softmax over a single output is always 1; use sigmoid for one output");
        }
        if (!Enum.IsDefined(Cost))
            Add("cost", $"unknown cost; use {EnumNames.Accepted<CostKind>()}");
        else if (shapeIsValid && Costs.Cost.For(Cost).Incompatibility(Layers[^1].Activation) is { } why)
            Add("cost", why);
        if (!Enum.IsDefined(Optimizer))
            Add("optimizer", $"unknown optimizer; use {EnumNames.Accepted<OptimizerKind>()}");
        if (!double.IsFinite(LearningRate) || LearningRate <= 0 || LearningRate > 1000)
            Add("learningRate", $"the learning rate must be greater than 0 and at most 1000, got {LearningRate}");
        if (!float.IsFinite(Momentum) || Momentum < 0 || Momentum >= 1)
            Add("momentum", $"momentum must be in [0, 1), got {Momentum}");
        if (BatchSize < 1 || BatchSize > limits.MaxBatchSize)
            Add("batchSize", $"the batch size must be between 1 and {limits.MaxBatchSize}, got {BatchSize}");
        if (Epochs < 1 || Epochs > limits.MaxEpochs)
            Add("epochs", $"epochs must be between 1 and {limits.MaxEpochs}, got {Epochs}");
        if (!float.IsFinite(L2) || L2 < 0)
            Add("l2", $"λ must be a finite number ≥ 0, got {L2}");
        if (!float.IsFinite(L1) || L1 < 0)
            Add("l1", $"λ must be a finite number ≥ 0, got {L1}");
        if (!Enum.IsDefined(Initialization))
            Add("init", $"unknown initialization; use {EnumNames.Accepted<InitializationKind>()}");
        bool splitIsValid = double.IsFinite(ValidationSplit) && ValidationSplit >= 0 && ValidationSplit < 1;
        if (!splitIsValid)
            Add("validationSplit", $"the validation split must be in [0, 1), got {ValidationSplit}");
        if (EarlyStoppingPatience is { } patience)
        {
            if (patience < 1)
                Add("earlyStoppingPatience", $"patience must be at least 1 epoch, got {patience}");
            else if (ValidationSplit == 0)
                Add("earlyStoppingPatience", "early stopping watches the validation loss; set validationSplit above 0");
        }
        if (!Enum.IsDefined(Normalization))
            Add("normalize", $"unknown normalization; use {EnumNames.Accepted<NormalizationKind>()}");
        if (Threads < 1 || Threads > limits.MaxThreads)
            Add("threads", $"threads must be between 1 and {limits.MaxThreads}, got {Threads}");
        CheckSchedule(Schedule ?? LearningRateSchedule.Constant, Add);

        if (data.Samples is { } samples && splitIsValid)
        {
            // DatasetSplit refuses a split that leaves either part empty.
            int validation = DatasetSplit.ValidationCount(samples, ValidationSplit);
            if (ValidationSplit > 0 && (validation < 1 || validation > samples - 1))
            {
                Add("validationSplit",
                    $"a validation split of {ValidationSplit} of the {samples:N0} samples{(data.Name is null ? "" : $" of dataset '{data.Name}'")} holds out {validation:N0} " +
                    $"(round({samples:N0} × {ValidationSplit})), which leaves {(validation < 1 ? "no validation" : "no training")} samples. " +
                    "Choose another split, 0 for no validation, or use more data");
            }
            else if (shapeIsValid && BatchSize >= 1 && TrainingFootprint.Of(this, data) is var footprint
                && footprint.ActivationValues > limits.MaxActivationValues)
            {
                Add("batchSize",
                    $"training would hold {footprint.ActivationValues:N0} values in memory (max(batch {footprint.BatchRows:N0}, " +
                    $"{TrainingFootprint.EvaluationRows}) rows × {shape.NeuronCount:N0} neurons × up to 3, plus the convolutions' scratch, " +
                    $"the batch's inputs and targets and the validation outputs); the limit is {limits.MaxActivationValues:N0}. " +
                    "Use a smaller batch size or narrower layers");
            }
        }
        return violations;
    }

    private static void CheckSchedule(LearningRateSchedule schedule, Action<string, string> add)
    {
        if (!Enum.IsDefined(schedule.Kind))
        {
            add("schedule.kind", $"unknown schedule; use {EnumNames.Accepted<LearningRateScheduleKind>()}");
            return;
        }
        if (schedule.Kind == LearningRateScheduleKind.Constant) return;
        if (!double.IsFinite(schedule.Factor) || schedule.Factor <= 0 || schedule.Factor >= 1)
            add("schedule.factor", $"the decay factor must be in (0, 1), got {schedule.Factor}");
        if (schedule.StepEpochs < 1)
            add("schedule.stepEpochs", $"step must be at least 1 epoch, got {schedule.StepEpochs}");
        if (schedule.Patience < 1)
            add("schedule.patience", $"patience must be at least 1 epoch, got {schedule.Patience}");
        if (!double.IsFinite(schedule.MinLearningRate) || schedule.MinLearningRate < 0)
            add("schedule.minLearningRate", $"the minimum learning rate must be ≥ 0, got {schedule.MinLearningRate}");
    }
}
