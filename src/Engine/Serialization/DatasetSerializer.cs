using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using BackpropService.Engine.Data;

namespace BackpropService.Engine.Serialization;

/// <summary>
/// The stored form of a dataset's samples (kept in the service's database): a <see cref="BinaryEnvelope"/>
/// around the name, task, sizes, input and target matrices, class names, labels and the features' shape
/// (channels × height × width, or none for a flat vector). Reading checks every
/// count against the bytes present, so a truncated or corrupt record is refused with a
/// <see cref="DataFormatException"/> instead of an enormous allocation or an index error later.
/// </summary>
/// <remarks>
/// Datasets stored before the envelope existed (a bare "BPDS" header) are still read, with the same checks,
/// rather than converted by a database migration: converting would decode and re-encode every stored dataset
/// (up to <c>Limits:MaxDatasetBytes</c> each) inside the startup migration, while reading both costs one
/// branch here. Everything written from now on uses the envelope.
/// </remarks>
public static class DatasetSerializer
{
    public const string FileMagic = "BPSDATAS";

    // Version 2 adds the shape (channels × height × width) after the labels; version 1 records read as flat.
    private const int FileVersion = 2, FirstVersionWithShape = 2;
    private const string What = "stored dataset";

    // The old header: the int32 0x53445042 ("BPDS" little-endian), then format version 1.
    private const int LegacyMagic = 0x53445042, LegacyVersion = 1;

    public static byte[] ToBytes(Dataset dataset)
    {
        using var stream = new MemoryStream(checked(256 + (dataset.Inputs.Length + dataset.Targets.Length + dataset.Samples) * sizeof(float)));
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(dataset.Name);
            BinaryFields.WriteEnum(writer, dataset.Task);
            writer.Write(dataset.Features);
            writer.Write(dataset.Outputs);
            BinaryFields.WriteFloats(writer, dataset.Inputs);
            BinaryFields.WriteFloats(writer, dataset.Targets);
            writer.Write(dataset.ClassNames?.Count ?? -1);
            foreach (string name in dataset.ClassNames ?? []) writer.Write(name);
            writer.Write(dataset.Labels is not null);
            if (dataset.Labels is not null) BinaryFields.WriteInts(writer, dataset.Labels);
            writer.Write(dataset.Shape is not null);
            if (dataset.Shape is { } shape)
            {
                writer.Write(shape.Channels);
                writer.Write(shape.Height);
                writer.Write(shape.Width);
            }
        }
        return BinaryEnvelope.Wrap(FileMagic, FileVersion, stream.GetBuffer().AsSpan(0, (int)stream.Length));
    }

    /// <exception cref="DataFormatException">The record is foreign, truncated, corrupt or inconsistent.</exception>
    public static Dataset FromBytes(byte[] data)
    {
        if (data.Length >= 8 && BinaryPrimitives.ReadInt32LittleEndian(data) == LegacyMagic)
            return BinaryEnvelope.ReadPayload(data, What, ReadLegacy);
        (byte[] payload, int version) = BinaryEnvelope.Unwrap(data, FileMagic, FileVersion, What);
        return BinaryEnvelope.ReadPayload(payload, What, reader =>
        {
            string name = reader.ReadString();
            var task = BinaryFields.ReadEnum<TaskKind>(reader);
            int features = ReadSize(reader, "features");
            int outputs = ReadSize(reader, "outputs");
            float[] inputs = BinaryFields.ReadFloats(reader, RemainingValues(reader));
            float[] targets = BinaryFields.ReadFloats(reader, RemainingValues(reader));
            int classCount = reader.ReadInt32();
            if (classCount < -1 || classCount > outputs) throw new InvalidDataException($"{classCount} class names for {outputs} outputs.");
            string[]? classNames = classCount < 0 ? null : new string[classCount];
            for (int i = 0; i < classCount; i++) classNames![i] = reader.ReadString();
            int[]? labels = reader.ReadBoolean() ? BinaryFields.ReadInts(reader, RemainingValues(reader)) : null;
            TensorShape? shape = version >= FirstVersionWithShape && reader.ReadBoolean()
                ? new TensorShape(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32())
                : null;
            return Create(name, task, features, outputs, inputs, targets, labels, classNames, shape);
        });
    }

    /// <summary>The format written before <see cref="BinaryEnvelope"/>: no length prefixes, no checksum.</summary>
    private static Dataset ReadLegacy(BinaryReader reader)
    {
        if (reader.ReadInt32() != LegacyMagic || reader.ReadInt32() != LegacyVersion)
            throw new InvalidDataException("it has an old header with a version this service does not know.");
        string name = reader.ReadString();
        var task = BinaryFields.ReadEnum<TaskKind>(reader);
        int features = ReadSize(reader, "features");
        int outputs = ReadSize(reader, "outputs");
        int samples = reader.ReadInt32();
        if (samples < 0) throw new InvalidDataException($"it claims {samples} samples.");
        int classCount = BinaryFields.ReadCount(reader, outputs, "class names");
        var classNames = new string[classCount];
        for (int i = 0; i < classCount; i++) classNames[i] = reader.ReadString();
        float[] inputs = ReadLegacyValues<float>(reader, (long)samples * features);
        float[] targets = ReadLegacyValues<float>(reader, (long)samples * outputs);
        int[]? labels = reader.ReadBoolean() ? ReadLegacyValues<int>(reader, samples) : null;
        return Create(name, task, features, outputs, inputs, targets, labels, task == TaskKind.Classification ? classNames : null);
    }

    private static Dataset Create(string name, TaskKind task, int features, int outputs, float[] inputs, float[] targets,
        int[]? labels, string[]? classNames, TensorShape? shape = null)
    {
        if (labels is not null && labels.Any(label => label < 0 || label >= outputs))
            throw new InvalidDataException($"a label lies outside 0–{outputs - 1}.");
        // Dataset checks that the sizes agree (the shape's values too); BinaryEnvelope.ReadPayload turns its
        // ArgumentException into a DataFormatException.
        return new Dataset(name, task, features, outputs, inputs, targets, labels, classNames) { Shape = shape };
    }

    private static int ReadSize(BinaryReader reader, string what)
    {
        int size = reader.ReadInt32();
        if (size < 1 || size > Normalizer.MaxFeatures) throw new InvalidDataException($"it claims {size} {what}.");
        return size;
    }

    /// <summary>How many 4-byte values the rest of the record could hold: the most any array in it can claim.</summary>
    private static int RemainingValues(BinaryReader reader) =>
        (int)Math.Min(int.MaxValue, (reader.BaseStream.Length - reader.BaseStream.Position) / sizeof(float));

    private static T[] ReadLegacyValues<T>(BinaryReader reader, long count) where T : unmanaged
    {
        if (count > RemainingValues(reader)) throw new EndOfStreamException($"it claims {count} values, more than the record holds.");
        var values = new T[count];
        BinaryFields.ReadExactly(reader, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
