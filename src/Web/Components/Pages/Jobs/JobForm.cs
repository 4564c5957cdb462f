using BackpropService.Contracts;

namespace BackpropService.Web.Components.Pages.Jobs;

/// <summary>What the "New job" form edits: every field of <see cref="SubmitJobRequest"/>, with the service's defaults.</summary>
public sealed class JobForm
{
    public string? Name { get; set; }
    public string? DatasetId { get; set; } = "xor";
    public List<LayerRow> Layers { get; set; } = [LayerRow.Dense(8, Activation.Tanh), LayerRow.Dense(2, Activation.Softmax)];
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
        Layers = Layers.Select(l => (LayerDefinition?)l.ToDefinition()).ToList(),
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

    /// <summary>The form filled in from <paramref name="request"/> (a <see cref="JobPresets"/> body); fields it leaves out keep the service's defaults.</summary>
    public static JobForm From(SubmitJobRequest request)
    {
        var form = new JobForm();
        form.Name = request.Name ?? form.Name;
        form.DatasetId = request.DatasetId;
        form.Layers = request.Layers?.Select(l => LayerRow.From(l!)).ToList() ?? form.Layers;
        form.Cost = request.Cost ?? form.Cost;
        form.Optimizer = request.Optimizer ?? form.Optimizer;
        form.LearningRate = request.LearningRate ?? form.LearningRate;
        form.Momentum = request.Momentum ?? form.Momentum;
        form.BatchSize = request.BatchSize ?? form.BatchSize;
        form.Epochs = request.Epochs ?? form.Epochs;
        form.L2 = request.L2 ?? form.L2;
        form.L1 = request.L1 ?? form.L1;
        form.Init = request.Init ?? form.Init;
        form.Seed = request.Seed ?? form.Seed;
        form.ValidationSplit = request.ValidationSplit ?? form.ValidationSplit;
        form.EarlyStoppingPatience = request.EarlyStoppingPatience ?? form.EarlyStoppingPatience;
        form.Normalize = request.Normalize ?? form.Normalize;
        return form;
    }
}
