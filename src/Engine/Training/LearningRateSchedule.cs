namespace BackpropService.Engine.Training;

/// <summary>A learning-rate schedule and its settings.</summary>
public sealed record LearningRateSchedule
{
    public static LearningRateSchedule Constant { get; } = new();

    public LearningRateScheduleKind Kind { get; init; } = LearningRateScheduleKind.Constant;

    /// <summary>Multiplier applied to η at each decay (0 &lt; factor &lt; 1).</summary>
    public double Factor { get; init; } = 0.5;

    /// <summary>Step decay: epochs between decays.</summary>
    public int StepEpochs { get; init; } = 10;

    /// <summary>Reduce-on-plateau: epochs without improvement before η is reduced.</summary>
    public int Patience { get; init; } = 3;

    /// <summary>Reduce-on-plateau: η never goes below this.</summary>
    public double MinLearningRate { get; init; } = 1e-6;
}
