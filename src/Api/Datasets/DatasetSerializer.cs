using System.Runtime.InteropServices;
using BackpropService.Engine.Data;

namespace BackpropService.Api.Datasets;

/// <summary>
/// The stored form of a dataset's samples: a small header, then the input and target matrices and the
/// labels as little-endian arrays. Only ever read back from our own database.
/// </summary>
public static class DatasetSerializer
{
    private const int Magic = 0x53445042; // "BPDS"
    private const int Version = 1;

    public static byte[] ToBytes(Dataset dataset)
    {
        using var stream = new MemoryStream(checked(64 + (dataset.Inputs.Length + dataset.Targets.Length) * sizeof(float)));
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(dataset.Name);
            writer.Write((int)dataset.Task);
            writer.Write(dataset.Features);
            writer.Write(dataset.Outputs);
            writer.Write(dataset.Samples);
            var classes = dataset.ClassNames ?? [];
            writer.Write(classes.Count);
            foreach (var name in classes) writer.Write(name);
            writer.Write(MemoryMarshal.AsBytes(dataset.Inputs.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(dataset.Targets.AsSpan()));
            writer.Write(dataset.Labels is not null);
            if (dataset.Labels is not null) writer.Write(MemoryMarshal.AsBytes(dataset.Labels.AsSpan()));
        }
        return stream.ToArray();
    }

    public static Dataset FromBytes(byte[] data)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data, writable: false));
            if (reader.ReadInt32() != Magic || reader.ReadInt32() != Version)
                throw new DataFormatException("The stored dataset is not in a format this service knows.");
            var name = reader.ReadString();
            var task = (TaskKind)reader.ReadInt32();
            int features = reader.ReadInt32(), outputs = reader.ReadInt32(), samples = reader.ReadInt32();
            int classCount = reader.ReadInt32();
            var classes = new string[classCount];
            for (int i = 0; i < classCount; i++) classes[i] = reader.ReadString();
            var inputs = new float[checked(samples * features)];
            var targets = new float[checked(samples * outputs)];
            ReadExactly(reader, MemoryMarshal.AsBytes(inputs.AsSpan()));
            ReadExactly(reader, MemoryMarshal.AsBytes(targets.AsSpan()));
            int[]? labels = null;
            if (reader.ReadBoolean())
            {
                labels = new int[samples];
                ReadExactly(reader, MemoryMarshal.AsBytes(labels.AsSpan()));
            }
            return new Dataset(name, task, features, outputs, inputs, targets, labels,
                task == TaskKind.Classification ? classes : null);
        }
        catch (EndOfStreamException e)
        {
            throw new DataFormatException("The stored dataset is truncated.", e);
        }
    }

    private static void ReadExactly(BinaryReader reader, Span<byte> destination)
    {
        if (reader.BaseStream.Read(destination) is var read && read != destination.Length)
            throw new EndOfStreamException();
    }
}
