using BackpropService.Contracts;

namespace BackpropService.Web.Components.Pages.Jobs;

/// <summary>What the "New job" form edits: every field of <see cref="SubmitJobRequest"/>, with the service's defaults.</summary>
public sealed class JobForm
{
    public string? Name { get; set; }
    public string? DatasetId { get; set; } = "xor";
    public List<LayerRow> Layers { get; set; } = [new(8, Activation.Tanh), new(2, Activation.Softmax)];
    public Cost Cost { get; set; } = JobDefaults.Cost;
    public Optimizer Optimizer { get; set; } = JobDefaults.Optimizer;
    public double? LearningRate { get; set; } = JobDefaults.LearningRate;
    public double? Momentum { get; set; } = JobDefaults.Momentum;
    public int? BatchSize { get; set; } = JobDefaults.BatchSize;
    public int? Epochs { get; set; } = 100;
    public double? L2 { get; set; } = JobDefaults.L2;
    public double? L1 { get; set; } = JobDefaults.L1;
    public Initialization Init { get; set; } = JobDefaults.Init;
    public ulong? Seed { get; set; } = JobDefaults.Seed;
    public double? ValidationSplit { get; set; } = JobDefaults.ValidationSplit;
    public int? EarlyStoppingPatience { get; set; }
    public Normalization Normalize { get; set; } = JobDefaults.Normalize;

    public SubmitJobRequest ToRequest() => new()
    {
        Name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(),
        DatasetId = DatasetId,
        Layers = Layers.Select(l => (LayerDefinition?)new LayerDefinition(l.Size, l.Activation)).ToList(),
        Cost = Cost,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        Momentum = Momentum,
        BatchSize = BatchSize,
        Epochs = Epochs,
        L2 = L2,
        L1 = L1,
        Init = Init,
        Seed = Seed,
        ValidationSplit = ValidationSplit,
        EarlyStoppingPatience = EarlyStoppingPatience,
        Normalize = Normalize,
    };

    public static JobForm Xor() => new()
    {
        Name = "xor", DatasetId = "xor", Layers = [new(8, Activation.Tanh), new(2, Activation.Softmax)],
        Cost = Cost.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.05, BatchSize = 16, Epochs = 100,
    };

    public static JobForm Spirals() => new()
    {
        Name = "spirals", DatasetId = "spirals", Layers = [new(32, Activation.Tanh), new(32, Activation.Tanh), new(2, Activation.Softmax)],
        Cost = Cost.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01, BatchSize = 16, Epochs = 300,
        Init = Initialization.Xavier, EarlyStoppingPatience = 50,
    };

    /// <summary>Nielsen's 784-30-10 sigmoid network with quadratic cost and plain SGD (η = 3, m = 10), on an uploaded MNIST set.</summary>
    public static JobForm MnistNielsen(string? datasetId) => new()
    {
        Name = "mnist", DatasetId = datasetId, Layers = [new(30, Activation.Sigmoid), new(10, Activation.Sigmoid)],
        Cost = Cost.Quadratic, Optimizer = Optimizer.Sgd, LearningRate = 3.0, BatchSize = 10, Epochs = 30,
        Init = Initialization.Normal,
    };
}

/// <summary>One hidden or output layer in the form.</summary>
public sealed class LayerRow(int? size, Activation activation)
{
    public int? Size { get; set; } = size;
    public Activation Activation { get; set; } = activation;
}
