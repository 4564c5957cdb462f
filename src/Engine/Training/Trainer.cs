using System.Diagnostics;
using System.Numerics.Tensors;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Evaluation;
using BackpropService.Engine.Initialization;
using BackpropService.Engine.Layers;
using BackpropService.Engine.Optimizers;
using BackpropService.Engine.Randomness;
using BackpropService.Engine.Serialization;

namespace BackpropService.Engine.Training;

/// <summary>
/// Trains a network by mini-batch gradient descent, one epoch at a time. Each mini-batch: backprop
/// (<see cref="Network{T}.Backpropagate(ReadOnlySpan{T}, ReadOnlySpan{T}, int, Cost, NetworkWorkspace{T}, Span{T}, DropoutKey)"/>, with the
/// batch's dropout masks) gives ∂C/∂θ, regularization adds its term, the optimizer steps.
/// After each epoch the trainer reports <see cref="EpochMetrics"/> and can be snapshotted to bytes
/// (<see cref="CreateCheckpoint"/>); <see cref="Resume"/> continues bit-identically to an uninterrupted run.
/// Synchronous and single-owner: call it from one thread.
/// </summary>
public sealed class Trainer
{
    public const string CheckpointMagic = "BPSCHKPT";
    public const int CheckpointVersion = 2;

    private readonly Dataset _train;
    private readonly Dataset? _validation;
    private readonly Normalizer _normalizer;
    private readonly Cost _cost;
    private readonly int _batchSize;
    private readonly NetworkWorkspace<float> _workspace;
    private readonly float[] _gradients;
    private readonly float[] _batchInputs;
    private readonly float[] _batchTargets;
    private readonly int[] _batchLabels;
    private readonly int[] _order;
    private readonly BatchGather _gather;

    /// <summary>Per layer with weights (dense, conv2d), in layer order: Σ over the epoch's batches of ‖∂C/∂Wˡ‖.</summary>
    private readonly double[] _gradientNormSums;
    private readonly float[] _epochStartParameters;
    private readonly float[] _validationOutputs;
    private readonly List<EpochMetrics> _history = [];

    private readonly Optimizer _optimizer;
    private readonly ParameterUpdate _update;
    private SeededRandom _shuffleRandom;
    private float[]? _bestParameters;
    private double _bestValidationLoss = double.PositiveInfinity;
    private int _epochsSinceBest;
    private double _learningRate;
    private double _plateauBestLoss = double.PositiveInfinity;
    private int _plateauWait;
    private bool _interrupted;

    private Trainer(Dataset data, TrainingOptions options)
    {
        options.Validate(DataShape.Of(data));
        Options = options;
        (Dataset train, Dataset? validation) = DatasetSplit.Split(data, options.ValidationSplit, options.Seed);
        _normalizer = Normalizer.Fit(options.Normalization, train);
        _train = _normalizer.Apply(train);
        _validation = validation is null ? null : _normalizer.Apply(validation);
        _cost = Cost.For(options.Cost);
        _batchSize = TrainingFootprint.BatchRowsFor(options.BatchSize, _train.Samples);

        Network = new Network<float>(options.NetworkFor(DataShape.Of(data))) { Threads = options.Threads };
        WeightInitializer.Initialize(Network, options.Initialization, new SeededRandom(options.Seed ^ 0x1A17_1A11_5EED_0001UL));
        _optimizer = Optimizer.Create(options.Optimizer, Network.ParameterCount, options.Momentum);
        _update = new ParameterUpdate(Network, _optimizer, new Regularization(options.L2, options.L1, _train.Samples), options.Threads);
        _shuffleRandom = new SeededRandom(options.Seed ^ 0x5A0F_F1E5_5EED_0002UL);
        _learningRate = options.LearningRate;

        _workspace = Network.CreateWorkspace(TrainingFootprint.WorkspaceRowsFor(_batchSize));
        _gradients = new float[Network.ParameterCount];
        _batchInputs = new float[_batchSize * data.Features];
        _batchTargets = new float[_batchSize * data.Outputs];
        _batchLabels = new int[_batchSize];
        _order = new int[_train.Samples];
        _gather = new BatchGather(_train, _batchInputs, _batchTargets, _batchLabels, options.Threads);
        _gradientNormSums = new double[Network.Layers.Count(l => l.HasWeights)];
        _epochStartParameters = new float[Network.ParameterCount];
        _validationOutputs = new float[(_validation?.Samples ?? 0) * data.Outputs];
    }

    public TrainingOptions Options { get; }

    /// <summary>The network being trained (its current weights).</summary>
    public Network<float> Network { get; }

    /// <summary>Completed epochs.</summary>
    public int Epoch { get; private set; }

    /// <summary>All epochs are done, or early stopping ended training.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Training ended before <see cref="TrainingOptions.Epochs"/> because validation loss stopped improving.</summary>
    public bool StoppedEarly { get; private set; }

    public IReadOnlyList<EpochMetrics> History => _history;

    public int TrainingSamples => _train.Samples;

    public int ValidationSamples => _validation?.Samples ?? 0;

    /// <summary>Starts training from freshly initialized weights.</summary>
    /// <exception cref="TrainingOptionsException">The options cannot work with this data.</exception>
    public static Trainer Start(Dataset data, TrainingOptions options) => new(data, options);

    /// <summary>Continues from a checkpoint made by <see cref="CreateCheckpoint"/> on the same data.</summary>
    /// <param name="checkpoint">The bytes of <see cref="CreateCheckpoint"/>.</param>
    /// <param name="data">The data the run was started on.</param>
    /// <param name="history">
    /// The metrics of the epochs before the checkpoint, to keep <see cref="History"/> complete. A checkpoint does not
    /// repeat them: a caller that stores each epoch has them already, and repeating them would make every
    /// checkpoint grow with the run. Null leaves <see cref="History"/> starting after the checkpoint.
    /// </param>
    /// <exception cref="DataFormatException">The checkpoint is damaged or belongs to other data.</exception>
    /// <exception cref="ArgumentException">The history is not the checkpoint's epochs 1 to <see cref="Epoch"/>.</exception>
    public static Trainer Resume(ReadOnlySpan<byte> checkpoint, Dataset data, IEnumerable<EpochMetrics>? history = null)
    {
        Trainer trainer = ReadCheckpoint(checkpoint, data);
        if (history is not null)
        {
            EpochMetrics[] earlier = [.. history];
            if (!earlier.Select(m => m.Epoch).SequenceEqual(Enumerable.Range(1, trainer.Epoch)))
                throw new ArgumentException($"the history must hold epochs 1 to {trainer.Epoch} in order.", nameof(history));
            trainer._history.AddRange(earlier);
        }
        return trainer;
    }

    /// <summary>
    /// The model a checkpoint holds now: the weights after its last completed epoch (not the best-validation
    /// ones <see cref="CreateModel"/> keeps, which can be epochs old), with the normalization fitted on the same
    /// training split. Reads only the weights; it builds no trainer (no optimizer state, no batch buffers).
    /// </summary>
    /// <param name="checkpoint">The bytes of <see cref="CreateCheckpoint"/>.</param>
    /// <param name="data">The data the run was started on (the normalization is fitted on its training split).</param>
    /// <exception cref="DataFormatException">The checkpoint is damaged or belongs to other data.</exception>
    public static TrainedModel ReadCurrentModel(ReadOnlySpan<byte> checkpoint, Dataset data) =>
        ReadCheckpoint(checkpoint, data, (reader, options) =>
        {
            options.Validate(DataShape.Of(data) with { Samples = null }); // the weights only: no trainer buffers to size
            ReadProgress(reader, options);
            var network = new Network<float>(options.NetworkFor(DataShape.Of(data)));
            ReadParameters(reader, network.Parameters, "weights");
            // The rest (optimizer and schedule state, best weights) only matters to a run that continues.
            reader.BaseStream.Seek(0, SeekOrigin.End);
            (Dataset train, _) = DatasetSplit.Split(data, options.ValidationSplit, options.Seed);
            return new TrainedModel(network, Normalizer.Fit(options.Normalization, train), data.Task, data.ClassNames, options.Cost, options);
        });

    private static Trainer ReadCheckpoint(ReadOnlySpan<byte> checkpoint, Dataset data) =>
        ReadCheckpoint(checkpoint, data, (reader, options) =>
        {
            var trainer = new Trainer(data, options);
            trainer.ReadState(reader);
            return trainer;
        });

    /// <summary>Checks the envelope and that the checkpoint was made on <paramref name="data"/>, then reads the rest with <paramref name="readState"/>.</summary>
    private static T ReadCheckpoint<T>(ReadOnlySpan<byte> checkpoint, Dataset data, Func<BinaryReader, TrainingOptions, T> readState)
    {
        const string what = "training checkpoint";
        (byte[] payload, int version) = BinaryEnvelope.Unwrap(checkpoint, CheckpointMagic, CheckpointVersion, what);
        return BinaryEnvelope.ReadPayload(payload, what, reader =>
        {
            // Version 2 stores each layer's kind and settings; version 1 (dense layers only) still resumes.
            TrainingOptions options = BinaryFields.ReadOptions(reader, version >= 2 ? LayerEncoding.Typed : LayerEncoding.DenseOnly);
            int samples = reader.ReadInt32(), features = reader.ReadInt32(), outputs = reader.ReadInt32();
            if (samples != data.Samples || features != data.Features || outputs != data.Outputs)
                throw new InvalidDataException($"it was made on data of {samples}×{features}→{outputs}, not {data.Samples}×{data.Features}→{data.Outputs}.");
            return readState(reader, options);
        });
    }

    /// <summary>Runs every remaining epoch, reporting each one.</summary>
    public IReadOnlyList<EpochMetrics> Train(Action<EpochMetrics>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        while (!IsFinished)
        {
            EpochMetrics metrics = RunEpoch(cancellationToken);
            onEpoch?.Invoke(metrics);
        }
        return _history;
    }

    /// <summary>
    /// One pass over the training data in shuffled mini-batches, then the validation measurement.
    /// Cancellation is checked before each mini-batch; after it the weights are put back to those of the
    /// last completed epoch and the trainer accepts no further epochs (resume from a checkpoint instead).
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled between mini-batches.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public EpochMetrics RunEpoch(CancellationToken cancellationToken = default)
    {
        if (IsFinished) throw new InvalidOperationException("Training has already finished.");
        if (_interrupted) throw new InvalidOperationException("This trainer was interrupted mid-epoch; resume from a checkpoint.");

        long started = Stopwatch.GetTimestamp();
        int epoch = Epoch + 1;
        double epochLearningRate = _learningRate;
        float learningRate = (float)epochLearningRate; // the optimizer steps in float
        Network.Parameters.CopyTo(_epochStartParameters, 0);
        // Shuffle from the identity each epoch, so the order depends only on the generator's state,
        // which checkpoints save: a resumed run sees the same mini-batches.
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        _shuffleRandom.Shuffle(_order.AsSpan());
        Array.Clear(_gradientNormSums);

        double lossSum = 0;
        int correct = 0, batches = 0;
        int outputs = _train.Outputs;
        for (int start = 0; start < _train.Samples; start += _batchSize)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Interrupt();
                cancellationToken.ThrowIfCancellationRequested();
            }

            int rows = Math.Min(_batchSize, _train.Samples - start);
            _gather.Run(_order, start, rows);

            // The batch's number within the epoch fixes its dropout masks, so a resumed run draws the same ones.
            float batchLoss = Network.Backpropagate(_batchInputs, _batchTargets, rows, _cost, _workspace, _gradients, new DropoutKey(Options.Seed, epoch, batches));
            if (!float.IsFinite(batchLoss))
            {
                Interrupt();
                throw new TrainingDivergedException(epoch, batches + 1, epochLearningRate);
            }
            lossSum += batchLoss;
            if (_train.Labels is not null) correct += CountCorrect(_workspace.Output, _batchLabels.AsSpan(0, rows), outputs);

            // ‖∂C/∂Wˡ‖ of the data cost (as reported), the regularization term, the optimizer's step.
            _update.Run(Network.Parameters, _gradients, learningRate, _gradientNormSums);
            batches++;
        }

        (double? validationLoss, double? validationAccuracy) = _validation is null ? ((double?)null, (double?)null) : Measure(_validation);
        if (validationLoss is double v && !double.IsFinite(v))
        {
            Interrupt();
            throw new TrainingDivergedException(epoch, batches, epochLearningRate);
        }

        Epoch = epoch;
        double trainLoss = lossSum / _train.Samples;
        var metrics = new EpochMetrics(
            epoch,
            trainLoss,
            _train.Labels is null ? null : (double)correct / _train.Samples,
            validationLoss,
            validationAccuracy,
            epochLearningRate,
            _gradientNormSums.Select(sum => sum / batches).ToArray(),
            Stopwatch.GetElapsedTime(started).TotalSeconds);
        _history.Add(metrics);

        TrackBest(validationLoss);
        UpdateLearningRate(validationLoss ?? trainLoss);
        if (Epoch >= Options.Epochs) IsFinished = true;
        if (IsFinished && StoppedEarly && _bestParameters is not null)
            _bestParameters.CopyTo(Network.Parameters, 0); // early stopping keeps the best weights
        return metrics;
    }

    /// <summary>
    /// The model to keep: the weights with the lowest validation loss so far when there is validation data,
    /// otherwise the weights after the last completed epoch.
    /// </summary>
    public TrainedModel CreateModel()
    {
        Network<float> network = Network.Clone();
        if (_bestParameters is not null) _bestParameters.CopyTo(network.Parameters, 0);
        return new TrainedModel(network, _normalizer, _train.Task, _train.ClassNames, Options.Cost, Options);
    }

    /// <summary>Mean loss and accuracy of the current weights on already-normalized data.</summary>
    private (double Loss, double? Accuracy) Measure(Dataset data)
    {
        Span<float> outputs = _validationOutputs;
        double lossSum = ForwardPass.Run(Network, _cost, data, _workspace, outputs);
        double? accuracy = data.Labels is { } labels ? (double)CountCorrect(outputs, labels, data.Outputs) / data.Samples : null;
        return (lossSum / data.Samples, accuracy);
    }

    /// <summary>How many rows' largest output is at their label's index.</summary>
    private static int CountCorrect(ReadOnlySpan<float> outputs, ReadOnlySpan<int> rowLabels, int width)
    {
        int correct = 0;
        for (int r = 0; r < rowLabels.Length; r++)
            if (TensorPrimitives.IndexOfMax(outputs.Slice(r * width, width)) == rowLabels[r]) correct++;
        return correct;
    }

    private void TrackBest(double? validationLoss)
    {
        if (validationLoss is not double loss) return;
        if (loss < _bestValidationLoss)
        {
            _bestValidationLoss = loss;
            _epochsSinceBest = 0;
            _bestParameters ??= new float[Network.ParameterCount];
            Network.Parameters.CopyTo(_bestParameters, 0);
        }
        else
        {
            _epochsSinceBest++;
            if (Options.EarlyStoppingPatience is int patience && _epochsSinceBest >= patience)
            {
                IsFinished = true;
                StoppedEarly = true;
            }
        }
    }

    private void UpdateLearningRate(double monitoredLoss)
    {
        LearningRateSchedule schedule = Options.Schedule;
        switch (schedule.Kind)
        {
            case LearningRateScheduleKind.StepDecay:
                _learningRate = Options.LearningRate * Math.Pow(schedule.Factor, Epoch / schedule.StepEpochs);
                break;
            case LearningRateScheduleKind.ReduceOnPlateau:
                if (monitoredLoss < _plateauBestLoss)
                {
                    _plateauBestLoss = monitoredLoss;
                    _plateauWait = 0;
                }
                else if (++_plateauWait >= schedule.Patience)
                {
                    _learningRate = Math.Max(_learningRate * schedule.Factor, schedule.MinLearningRate);
                    _plateauWait = 0;
                }
                break;
        }
    }

    private void Interrupt()
    {
        _interrupted = true;
        _epochStartParameters.CopyTo(Network.Parameters, 0);
    }

    /// <summary>
    /// Everything needed to continue exactly where this epoch ended: options, weights, optimizer state,
    /// the shuffling generator, best-so-far weights and schedule state (not the metrics history: see <see cref="Resume"/>).
    /// </summary>
    public byte[] CreateCheckpoint()
    {
        if (_interrupted) throw new InvalidOperationException("An interrupted trainer has no consistent state to checkpoint.");
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            BinaryFields.WriteOptions(writer, Options);
            writer.Write(_train.Samples + (_validation?.Samples ?? 0));
            writer.Write(_train.Features);
            writer.Write(_train.Outputs);
            WriteState(writer);
        }
        return BinaryEnvelope.Wrap(CheckpointMagic, CheckpointVersion, stream.ToArray());
    }

    private void WriteState(BinaryWriter writer)
    {
        writer.Write(Epoch);
        writer.Write(IsFinished);
        writer.Write(StoppedEarly);
        BinaryFields.WriteFloats(writer, Network.Parameters);
        _optimizer.WriteState(writer);
        _shuffleRandom.WriteState(writer);
        writer.Write(_learningRate);
        writer.Write(_plateauBestLoss);
        writer.Write(_plateauWait);
        writer.Write(_bestValidationLoss);
        writer.Write(_epochsSinceBest);
        writer.Write(_bestParameters is not null);
        if (_bestParameters is not null) BinaryFields.WriteFloats(writer, _bestParameters);
    }

    private void ReadState(BinaryReader reader)
    {
        (Epoch, IsFinished, StoppedEarly) = ReadProgress(reader, Options);
        ReadParameters(reader, Network.Parameters, "weights");
        _optimizer.ReadState(reader);
        _shuffleRandom = SeededRandom.ReadState(reader);
        _learningRate = reader.ReadDouble();
        _plateauBestLoss = reader.ReadDouble();
        _plateauWait = reader.ReadInt32();
        _bestValidationLoss = reader.ReadDouble();
        _epochsSinceBest = reader.ReadInt32();
        if (reader.ReadBoolean())
        {
            _bestParameters = new float[Network.ParameterCount];
            ReadParameters(reader, _bestParameters, "best weights");
        }
    }

    /// <summary>The completed epochs and whether training had ended, as <see cref="WriteState"/> wrote them first.</summary>
    private static (int Epoch, bool IsFinished, bool StoppedEarly) ReadProgress(BinaryReader reader, TrainingOptions options)
    {
        int epoch = reader.ReadInt32();
        if (epoch < 0 || epoch > options.Epochs) throw new InvalidDataException($"epoch {epoch} is outside 0..{options.Epochs}.");
        return (epoch, reader.ReadBoolean(), reader.ReadBoolean());
    }

    private static void ReadParameters(BinaryReader reader, float[] destination, string what)
    {
        float[] parameters = BinaryFields.ReadFloats(reader, destination.Length);
        if (parameters.Length != destination.Length) throw new InvalidDataException($"the {what} do not fit the architecture.");
        parameters.CopyTo(destination, 0);
    }
}
