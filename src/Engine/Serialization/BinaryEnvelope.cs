using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BackpropService.Engine.Data;

namespace BackpropService.Engine.Serialization;

/// <summary>
/// The outer layer of our binary files (model files and training checkpoints):
/// <c>magic (8 bytes) · format version (int32) · payload length (int64) · payload · SHA-256 of the payload</c>,
/// little-endian. Reading checks each part, so a foreign, truncated or corrupted file is refused with a
/// message that says which, before any of the payload is interpreted.
/// </summary>
public static class BinaryEnvelope
{
    /// <summary>Bytes before the payload: magic, format version and payload length.</summary>
    public const int HeaderLength = 8 + 4 + 8;

    private const int HashLength = 32;

    public static byte[] Wrap(string magic, int version, ReadOnlySpan<byte> payload)
    {
        byte[] magicBytes = MagicBytes(magic);
        var file = new byte[HeaderLength + payload.Length + HashLength];
        magicBytes.CopyTo(file, 0);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(8), version);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(12), payload.Length);
        payload.CopyTo(file.AsSpan(HeaderLength));
        SHA256.HashData(payload, file.AsSpan(HeaderLength + payload.Length));
        return file;
    }

    /// <summary>Checks the envelope and returns the payload and the file's format version.</summary>
    /// <param name="what">What the file should be, for messages ("model file").</param>
    public static (byte[] Payload, int Version) Unwrap(ReadOnlySpan<byte> file, string magic, int newestVersion, string what)
    {
        (int version, long length, long expected) = ReadHeader(file, magic, newestVersion, what);
        if (length < 0 || expected != file.Length)
            throw new DataFormatException(length < 0 || expected > file.Length
                ? $"This {what} is truncated: it should be {Math.Max(expected, 0)} bytes long, it is {file.Length}."
                : $"This {what} has {file.Length - expected} unexpected bytes after its end.");
        ReadOnlySpan<byte> payload = file.Slice(HeaderLength, (int)length);
        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(payload, hash);
        if (!hash.SequenceEqual(file[(HeaderLength + (int)length)..]))
            throw new DataFormatException($"This {what} is corrupt: its checksum does not match its contents.");
        return (payload.ToArray(), version);
    }

    /// <summary>
    /// Checks the header at the start of a file (its first <see cref="HeaderLength"/> bytes suffice) and returns the
    /// format version, the payload's length and the whole file's length (-1 for a negative payload length), without reading
    /// or checking the payload.
    /// </summary>
    /// <exception cref="DataFormatException">The file is foreign or of an unknown version.</exception>
    public static (int Version, long PayloadLength, long FileLength) ReadHeader(ReadOnlySpan<byte> fileStart, string magic, int newestVersion, string what)
    {
        byte[] magicBytes = MagicBytes(magic);
        if (fileStart.Length < HeaderLength || !fileStart[..8].SequenceEqual(magicBytes))
            throw new DataFormatException($"This is not a BackpropService {what}: it does not start with the '{magic}' marker.");
        int version = BinaryPrimitives.ReadInt32LittleEndian(fileStart[8..]);
        if (version < 1 || version > newestVersion)
            throw new DataFormatException($"This {what} has format version {version}; this version of BackpropService reads versions 1 to {newestVersion}.");
        long length = BinaryPrimitives.ReadInt64LittleEndian(fileStart[12..]);
        return (version, length, length < 0 ? -1 : HeaderLength + length + HashLength);
    }

    /// <summary>Reads a payload, turning any structural problem into a <see cref="DataFormatException"/>.</summary>
    public static T ReadPayload<T>(byte[] payload, string what, Func<BinaryReader, T> read)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
            T result = read(reader);
            if (reader.BaseStream.Position != payload.Length)
                throw new DataFormatException($"This {what} has unread data at its end; it was not written by this format.");
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or OverflowException or DecoderFallbackException or FormatException)
        {
            throw new DataFormatException($"This {what} is damaged: {e.Message}", e);
        }
    }

    private static byte[] MagicBytes(string magic)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(magic);
        if (bytes.Length != 8) throw new ArgumentException("magic must be 8 ASCII characters.", nameof(magic));
        return bytes;
    }
}
