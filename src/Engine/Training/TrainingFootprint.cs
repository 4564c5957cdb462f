using BackpropService.Engine.Data;
using BackpropService.Engine.Layers;

namespace BackpropService.Engine.Training;

/// <summary>
/// What a <see cref="Trainer"/> allocates for some options and data, computed without allocating: the trainer sizes
/// its buffers with the same functions, so a service can refuse a run that would not fit before queuing it.
/// </summary>
public sealed record TrainingFootprint
{
    /// <summary>Rows evaluated at once when measuring validation loss; the workspace is never smaller.</summary>
    public const int EvaluationRows = 256;

    public required long Parameters { get; init; }

    public required int TrainingSamples { get; init; }

    public required int ValidationSamples { get; init; }

    /// <summary>Rows of one mini-batch: the batch size, or the whole training set when it is smaller.</summary>
    public required int BatchRows { get; init; }

    /// <summary>Rows of the network workspace: max(batch, <see cref="EvaluationRows"/>).</summary>
    public required int WorkspaceRows { get; init; }

    /// <summary>
    /// Values held for activations: the network workspace (<see cref="NetworkWorkspace{T}.ValuesFor"/>: z, a and δ of every
    /// layer, one buffer for z and a of a maxPool or dropout layer, a dropout layer's mask, a pool's winners, the
    /// convolutions' scratch), the batch's inputs and targets, and the validation set's outputs.
    /// </summary>
    public required long ActivationValues { get; init; }

    /// <summary>The footprint of a run; <paramref name="data"/> must give its samples.</summary>
    public static TrainingFootprint Of(TrainingOptions options, DataShape data)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        int samples = data.Samples ?? throw new ArgumentException("the footprint depends on the number of samples.", nameof(data));
        NetworkShape shape = options.NetworkFor(data);
        int validation = DatasetSplit.ValidationCount(samples, options.ValidationSplit);
        int training = samples - validation;
        int batch = BatchRowsFor(options.BatchSize, training);
        int workspace = WorkspaceRowsFor(batch);
        return new TrainingFootprint
        {
            Parameters = shape.ParameterCount,
            TrainingSamples = training,
            ValidationSamples = validation,
            BatchRows = batch,
            WorkspaceRows = workspace,
            ActivationValues = NetworkWorkspace<float>.ValuesFor(Layer.Build(shape), workspace, options.Threads) + (long)batch * ((long)data.Features + data.Outputs)
                + (long)validation * data.Outputs,
        };
    }

    public static int BatchRowsFor(int batchSize, int trainingSamples) => Math.Max(1, Math.Min(batchSize, trainingSamples));

    public static int WorkspaceRowsFor(int batchRows) => Math.Max(batchRows, EvaluationRows);
}
