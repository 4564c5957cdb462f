using System.Runtime.InteropServices;
using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Initialization;
using BackpropService.Engine.Optimizers;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Serialization;

/// <summary>
/// Field-level readers and writers shared by model files, checkpoints and stored datasets. Every read checks its value
/// (enum defined, length within bounds) because the bytes may come from anywhere.
/// </summary>
internal static class BinaryFields
{
    public static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values) => WriteValues(writer, values);

    public static void WriteInts(BinaryWriter writer, ReadOnlySpan<int> values) => WriteValues(writer, values);

    /// <summary>Reads an array written by <see cref="WriteFloats"/> of at most <paramref name="maxLength"/> values.</summary>
    public static float[] ReadFloats(BinaryReader reader, int maxLength) => ReadValues<float>(reader, maxLength);

    /// <summary>Reads an array written by <see cref="WriteInts"/> of at most <paramref name="maxLength"/> values.</summary>
    public static int[] ReadInts(BinaryReader reader, int maxLength) => ReadValues<int>(reader, maxLength);

    /// <summary>Reads an array written by <see cref="WriteFloats"/> into <paramref name="destination"/>, which it must fill exactly.</summary>
    /// <param name="what">What the array is, for the message when the lengths differ.</param>
    public static void ReadFloatsInto(BinaryReader reader, Span<float> destination, string what)
    {
        int length = reader.ReadInt32();
        if (length != destination.Length)
            throw new InvalidDataException($"{what} holds {length} values, {destination.Length} expected.");
        ReadExactly(reader, MemoryMarshal.AsBytes(destination));
    }

    // A length, then the values' bytes (little-endian on every platform we run on).
    private static void WriteValues<T>(BinaryWriter writer, ReadOnlySpan<T> values) where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    private static T[] ReadValues<T>(BinaryReader reader, int maxLength) where T : unmanaged
    {
        int length = reader.ReadInt32();
        if (length < 0 || length > maxLength) throw new InvalidDataException($"an array claims {length} values (at most {maxLength} expected).");
        var values = new T[length];
        ReadExactly(reader, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>Fills <paramref name="destination"/> from the reader; fewer bytes left is an <see cref="EndOfStreamException"/>.</summary>
    public static void ReadExactly(BinaryReader reader, Span<byte> destination)
    {
        for (int read = 0, chunk; read < destination.Length; read += chunk)
            if ((chunk = reader.Read(destination[read..])) == 0) throw new EndOfStreamException("the file ends inside an array.");
    }

    public static TEnum ReadEnum<TEnum>(BinaryReader reader) where TEnum : struct, Enum
    {
        int value = reader.ReadInt32();
        var result = (TEnum)Enum.ToObject(typeof(TEnum), value);
        if (!Enum.IsDefined(result)) throw new InvalidDataException($"{value} is not a known {typeof(TEnum).Name}.");
        return result;
    }

    public static void WriteEnum<TEnum>(BinaryWriter writer, TEnum value) where TEnum : struct, Enum =>
        writer.Write(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));

    public static int ReadCount(BinaryReader reader, int max, string what)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > max) throw new InvalidDataException($"{count} {what} (at most {max} expected).");
        return count;
    }

    /// <summary>Bytes <see cref="WriteLayers"/> writes per layer: kind, size, activation, filters, kernel, stride, padding, pool size (int32 each) and rate (double).</summary>
    public const int LayerBytes = 8 * sizeof(int) + sizeof(double);

    /// <summary>Bytes <see cref="WriteInputShape"/> writes: channels, height, width.</summary>
    public const int InputShapeBytes = 3 * sizeof(int);

    /// <summary>
    /// Every layer with its kind and all its settings, at a fixed size per layer (<see cref="LayerBytes"/>), so that the
    /// bytes that hold a network's shape are known before reading them. Read with <see cref="LayerEncoding.Typed"/>.
    /// </summary>
    public static void WriteLayers(BinaryWriter writer, IReadOnlyList<LayerSpec> layers)
    {
        writer.Write(layers.Count);
        foreach (LayerSpec layer in layers)
        {
            WriteEnum(writer, layer.Kind);
            writer.Write(layer.Size);
            WriteEnum(writer, layer.Activation);
            writer.Write(layer.Filters);
            writer.Write(layer.Kernel);
            writer.Write(layer.Stride);
            writer.Write(layer.Padding);
            writer.Write(layer.PoolSize);
            writer.Write(layer.Rate);
        }
    }

    /// <summary>
    /// Layers as <paramref name="encoding"/> wrote them. Kinds and activations must be known; sizes are checked only as
    /// far as the encoding alone allows (a dense-only layer's size): the caller holds the whole shape against
    /// <see cref="NetworkShape.Check"/>, which knows how the layers fit together.
    /// </summary>
    public static LayerSpec[] ReadLayers(BinaryReader reader, LayerEncoding encoding)
    {
        var layers = new LayerSpec[ReadCount(reader, NetworkLimits.Engine.MaxLayers, "layers")];
        for (int l = 0; l < layers.Length; l++)
        {
            if (encoding == LayerEncoding.DenseOnly)
            {
                int size = reader.ReadInt32();
                if (size < 1 || size > NetworkLimits.Engine.MaxLayerSize) throw new InvalidDataException($"layer {l} has size {size}.");
                layers[l] = new LayerSpec(size, ReadEnum<ActivationKind>(reader));
                continue;
            }
            var kind = ReadEnum<LayerKind>(reader);
            layers[l] = new LayerSpec(reader.ReadInt32(), ReadEnum<ActivationKind>(reader))
            {
                Kind = kind,
                Filters = reader.ReadInt32(),
                Kernel = reader.ReadInt32(),
                Stride = reader.ReadInt32(),
                Padding = reader.ReadInt32(),
                PoolSize = reader.ReadInt32(),
                Rate = reader.ReadDouble(),
            };
        }
        return layers;
    }

    /// <summary>The input's channels × height × width, or three zeros for a flat input.</summary>
    public static void WriteInputShape(BinaryWriter writer, TensorShape? shape)
    {
        writer.Write(shape?.Channels ?? 0);
        writer.Write(shape?.Height ?? 0);
        writer.Write(shape?.Width ?? 0);
    }

    /// <summary>What <see cref="WriteInputShape"/> wrote; whether it holds the input's values is <see cref="NetworkShape.Check"/>'s to say.</summary>
    public static TensorShape? ReadInputShape(BinaryReader reader)
    {
        var shape = new TensorShape(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        return shape == default ? null : shape;
    }

    public static void WriteOptions(BinaryWriter writer, TrainingOptions options)
    {
        WriteLayers(writer, options.Layers);
        WriteEnum(writer, options.Cost);
        WriteEnum(writer, options.Optimizer);
        writer.Write(options.LearningRate);
        writer.Write(options.Momentum);
        writer.Write(options.BatchSize);
        writer.Write(options.Epochs);
        writer.Write(options.L2);
        writer.Write(options.L1);
        WriteEnum(writer, options.Initialization);
        writer.Write(options.Seed);
        writer.Write(options.ValidationSplit);
        writer.Write(options.EarlyStoppingPatience ?? -1);
        WriteEnum(writer, options.Normalization);
        writer.Write(options.Threads);
        LearningRateSchedule schedule = options.Schedule;
        WriteEnum(writer, schedule.Kind);
        writer.Write(schedule.Factor);
        writer.Write(schedule.StepEpochs);
        writer.Write(schedule.Patience);
        writer.Write(schedule.MinLearningRate);
    }

    /// <summary>Options as <see cref="WriteOptions"/> wrote them, their layers in <paramref name="layerEncoding"/>.</summary>
    public static TrainingOptions ReadOptions(BinaryReader reader, LayerEncoding layerEncoding)
    {
        LayerSpec[] layers = ReadLayers(reader, layerEncoding);
        var cost = ReadEnum<CostKind>(reader);
        var optimizer = ReadEnum<OptimizerKind>(reader);
        double learningRate = reader.ReadDouble();
        float momentum = reader.ReadSingle();
        int batchSize = reader.ReadInt32();
        int epochs = reader.ReadInt32();
        float l2 = reader.ReadSingle();
        float l1 = reader.ReadSingle();
        var initialization = ReadEnum<InitializationKind>(reader);
        ulong seed = reader.ReadUInt64();
        double validationSplit = reader.ReadDouble();
        int patience = reader.ReadInt32();
        var normalization = ReadEnum<NormalizationKind>(reader);
        int threads = reader.ReadInt32();
        var schedule = new LearningRateSchedule
        {
            Kind = ReadEnum<LearningRateScheduleKind>(reader),
            Factor = reader.ReadDouble(),
            StepEpochs = reader.ReadInt32(),
            Patience = reader.ReadInt32(),
            MinLearningRate = reader.ReadDouble(),
        };
        return new TrainingOptions
        {
            Layers = layers,
            Cost = cost,
            Optimizer = optimizer,
            LearningRate = learningRate,
            Momentum = momentum,
            BatchSize = batchSize,
            Epochs = epochs,
            L2 = l2,
            L1 = l1,
            Initialization = initialization,
            Seed = seed,
            ValidationSplit = validationSplit,
            EarlyStoppingPatience = patience < 0 ? null : patience,
            Normalization = normalization,
            Threads = threads,
            Schedule = schedule,
        };
    }
}
