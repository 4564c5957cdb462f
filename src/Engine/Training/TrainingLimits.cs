namespace BackpropService.Engine.Training;

/// <summary>Bounds on what one training run may ask for. The defaults are the engine's own; a service may set tighter ones.</summary>
public sealed record TrainingLimits
{
    public static TrainingLimits Engine { get; } = new();

    public NetworkLimits Network { get; init; } = NetworkLimits.Engine;

    public int MaxEpochs { get; init; } = 100_000;

    public int MaxBatchSize { get; init; } = 1 << 20;

    public int MaxThreads { get; init; } = 256;

    /// <summary>Most values the trainer's activation buffers may hold (<see cref="TrainingFootprint.ActivationValues"/>).</summary>
    public long MaxActivationValues { get; init; } = long.MaxValue;
}
