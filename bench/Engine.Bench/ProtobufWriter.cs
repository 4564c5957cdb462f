using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace BackpropService.Engine.Bench;

/// <summary>
/// Just enough of the protocol-buffers wire format to write an ONNX model: varint fields (wire type 0),
/// length-delimited fields (wire type 2: bytes, strings, nested messages) and 32-bit fields (wire type 5).
/// A nested message is written into its own writer and then embedded with its length.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int Varint = 0, LengthDelimited = 2, Fixed32 = 5;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    public ProtobufWriter Integer(int field, long value)
    {
        Key(field, Varint);
        WriteVarint(unchecked((ulong)value));
        return this;
    }

    public ProtobufWriter Single(int field, float value)
    {
        Key(field, Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Key(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public ProtobufWriter Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Writes a nested message built by <paramref name="build"/>.</summary>
    public ProtobufWriter Message(int field, Action<ProtobufWriter> build)
    {
        var nested = new ProtobufWriter();
        build(nested);
        return Bytes(field, nested.ToArray());
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void Key(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        do
        {
            byte low = (byte)(value & 0x7F);
            value >>= 7;
            _buffer.GetSpan(1)[0] = value == 0 ? low : (byte)(low | 0x80);
            _buffer.Advance(1);
        }
        while (value != 0);
    }
}
