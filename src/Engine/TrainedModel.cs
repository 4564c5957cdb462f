using System.Numerics.Tensors;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Serialization;
using BackpropService.Engine.Training;

namespace BackpropService.Engine;

/// <summary>
/// A trained network with everything needed to use it on raw inputs: the normalization fitted on its
/// training data, the task and class names, the cost it was trained on, and the options that trained it.
/// Saved and loaded through a portable, versioned binary model file (<see cref="ToBytes"/>, <see cref="FromBytes"/>).
/// </summary>
public sealed class TrainedModel
{
    /// <summary>The model file's marker and newest format version.</summary>
    /// <remarks>
    /// Version 2 added the input's shape (channels × height × width) and each layer's kind and settings (convolution,
    /// pooling, dropout). Version 1 files, dense layers only, still load, as flat dense networks.
    /// </remarks>
    public const string FileMagic = "BPSMODEL";
    public const int FileVersion = 2;

    /// <summary>Largest class list accepted from a file.</summary>
    private const int MaxClasses = 100_000;

    [ThreadStatic]
    private static float[]? t_scratch;

    public TrainedModel(Network<float> network, Normalizer normalizer, TaskKind task, IReadOnlyList<string>? classNames, CostKind cost, TrainingOptions? options)
    {
        if (normalizer.Features != network.Inputs && normalizer.Kind != NormalizationKind.None)
            throw new ArgumentException($"the normalizer has {normalizer.Features} features, the network {network.Inputs} inputs.", nameof(normalizer));
        if (task == TaskKind.Classification && (classNames is null || classNames.Count != network.Outputs))
            throw new ArgumentException($"a classifier with {network.Outputs} outputs needs {network.Outputs} class names.", nameof(classNames));
        Network = network;
        Normalizer = normalizer;
        Task = task;
        ClassNames = task == TaskKind.Classification ? classNames : null;
        Cost = cost;
        Options = options;
    }

    public Network<float> Network { get; }

    public Normalizer Normalizer { get; }

    public TaskKind Task { get; }

    /// <summary>Class names in output order; null for regression.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    public CostKind Cost { get; }

    /// <summary>The options that trained the model (null for models built by hand).</summary>
    public TrainingOptions? Options { get; }

    public int Inputs => Network.Inputs;

    public int Outputs => Network.Outputs;

    public IReadOnlyList<LayerSpec> Layers => Network.Specs;

    /// <summary>The network's shape: its input (flat, or channels × height × width) and its layers.</summary>
    public NetworkShape Shape => Network.Shape;

    /// <summary>
    /// Runs one raw (unnormalized) sample through the model: normalizes it as during training, then writes
    /// the output layer's activations. Thread-safe; allocates nothing after a thread's first call.
    /// </summary>
    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != Inputs) throw new ArgumentException($"expected {Inputs} inputs, got {input.Length}.", nameof(input));
        int networkScratch = Network.PredictScratchLength;
        int needed = networkScratch + Inputs;
        float[] scratch = t_scratch is { } existing && existing.Length >= needed ? existing : (t_scratch = new float[needed]);
        Span<float> normalized = scratch.AsSpan(networkScratch, Inputs);
        input.CopyTo(normalized);
        Normalizer.Apply(normalized);
        Network.Predict(normalized, output, scratch.AsSpan(0, networkScratch));
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            BinaryFields.WriteEnum(writer, Task);
            writer.Write(Inputs);
            BinaryFields.WriteInputShape(writer, Shape.InputShape);
            BinaryFields.WriteLayers(writer, Layers);
            BinaryFields.WriteEnum(writer, Cost);
            writer.Write(ClassNames?.Count ?? -1);
            foreach (string name in ClassNames ?? []) writer.Write(name);
            Normalizer.WriteTo(writer);
            writer.Write(Options is not null);
            if (Options is not null) BinaryFields.WriteOptions(writer, Options);
            BinaryFields.WriteFloats(writer, Network.Parameters);
        }
        return BinaryEnvelope.Wrap(FileMagic, FileVersion, stream.ToArray());
    }

    /// <summary>
    /// How many bytes from the start of a model file always hold its network's shape (the envelope's header, the task,
    /// the input size and shape, and up to <see cref="NetworkLimits.MaxLayers"/> layers of the engine): enough for
    /// <see cref="ReadShape"/>, whatever the file's version.
    /// </summary>
    public static int ShapeBytes { get; } = BinaryEnvelope.HeaderLength + 3 * sizeof(int) + BinaryFields.InputShapeBytes
        + NetworkLimits.Engine.MaxLayers * BinaryFields.LayerBytes;

    /// <summary>
    /// The network shape a model file declares, read from its first bytes (<see cref="ShapeBytes"/>, or the whole file if
    /// shorter) without reading or checking the rest: so that a caller can hold the shape against its limits before
    /// receiving, let alone allocating, the weights. <see cref="FromBytes"/> still checks the whole file.
    /// </summary>
    /// <returns>The shape, and the length of the whole file as its header states it.</returns>
    /// <exception cref="DataFormatException">The start is not a model file's, or ends before the shape does.</exception>
    public static (NetworkShape Shape, long FileLength) ReadShape(ReadOnlySpan<byte> fileStart)
    {
        const string what = "model file";
        (int version, long payloadLength, long fileLength) = BinaryEnvelope.ReadHeader(fileStart, FileMagic, FileVersion, what);
        if (payloadLength < 0) throw new DataFormatException($"This {what} is damaged: it claims a payload of {payloadLength} bytes.");
        byte[] start = fileStart[BinaryEnvelope.HeaderLength..].ToArray();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(start, writable: false));
            BinaryFields.ReadEnum<TaskKind>(reader);
            return (ReadNetworkShape(reader, version), fileLength);
        }
        catch (EndOfStreamException)
        {
            throw new DataFormatException($"This {what} is truncated: it ends before its network's shape.");
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"This {what} is damaged: {e.Message}", e);
        }
    }

    /// <summary>Reads a model file, refusing anything that is not a complete, intact file of this format.</summary>
    /// <exception cref="DataFormatException">The file is foreign, truncated, corrupt or inconsistent.</exception>
    public static TrainedModel FromBytes(ReadOnlySpan<byte> file)
    {
        const string what = "model file";
        (byte[] payload, int version) = BinaryEnvelope.Unwrap(file, FileMagic, FileVersion, what);
        return BinaryEnvelope.ReadPayload(payload, what, reader =>
        {
            var task = BinaryFields.ReadEnum<TaskKind>(reader);
            NetworkShape shape = ReadNetworkShape(reader, version);
            // The engine's own rules, before anything is sized by the file's numbers.
            if (shape.Check(NetworkLimits.Engine) is [var violation, ..])
                throw new InvalidDataException($"its network is not one the engine builds ({violation.Field}: {violation.Reason}).");
            var cost = BinaryFields.ReadEnum<CostKind>(reader);
            int classCount = reader.ReadInt32();
            if (classCount < -1 || classCount > MaxClasses) throw new InvalidDataException($"the model claims {classCount} classes.");
            string[]? classNames = classCount < 0 ? null : new string[classCount];
            for (int i = 0; i < classCount; i++) classNames![i] = reader.ReadString();
            Normalizer normalizer = Normalizer.ReadFrom(reader);
            TrainingOptions? options = reader.ReadBoolean() ? BinaryFields.ReadOptions(reader, LayersOf(version)) : null;

            // Check the claimed size against the bytes actually present before allocating anything that big.
            long parameterCount = shape.ParameterCount;
            long remaining = reader.BaseStream.Length - reader.BaseStream.Position;
            if (parameterCount * sizeof(float) > remaining)
                throw new InvalidDataException($"its architecture needs {parameterCount} parameters ({parameterCount * sizeof(float)} bytes), but only {remaining} bytes remain.");

            Network<float> network;
            try
            {
                network = new Network<float>(shape);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"its architecture is invalid ({e.Message})");
            }
            float[] parameters = BinaryFields.ReadFloats(reader, network.ParameterCount);
            if (parameters.Length != network.ParameterCount)
                throw new InvalidDataException($"it holds {parameters.Length} parameters, its architecture needs {network.ParameterCount}.");
            parameters.CopyTo(network.Parameters, 0);
            return new TrainedModel(network, normalizer, task, classNames, cost, options);
        });
    }

    /// <summary>The input size, its shape (version 2 on) and the layers.</summary>
    private static NetworkShape ReadNetworkShape(BinaryReader reader, int version)
    {
        int inputs = reader.ReadInt32();
        TensorShape? inputShape = version >= 2 ? BinaryFields.ReadInputShape(reader) : null;
        return new NetworkShape(inputs, BinaryFields.ReadLayers(reader, LayersOf(version))) { InputShape = inputShape };
    }

    private static LayerEncoding LayersOf(int version) => version >= 2 ? LayerEncoding.Typed : LayerEncoding.DenseOnly;
}
