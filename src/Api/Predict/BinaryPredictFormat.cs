using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace BackpropService.Api.Predict;

/// <summary>
/// The compact predict format for high-rate callers (media type <c>application/x-float32</c>; also
/// accepted as <c>application/octet-stream</c>). All integers and floats are little-endian.
/// <code>
/// offset  size  request                              response
///  0       4    magic "BPF1" (42 50 46 31)           magic "BPF1"
///  4       4    uint32 rows (1 … Limits:MaxPredictRows) uint32 rows
///  8       4    uint32 columns (the model's inputs)  uint32 outputs
/// 12       2    uint16 n: model id/name bytes (0:    uint16 n: model id bytes
///               the route's id or ?model= names it)
/// 14       2    uint16 flags, 0                      uint16 flags: bit 0 = class indices follow
/// 16       n    model id or name, UTF-8              the id of the model version that answered
/// 16+n          rows × columns float32, row-major    rows × outputs float32 (the output activations),
///                                                    then rows × int32 class indices (classification)
/// </code>
/// </summary>
public static class BinaryPredictFormat
{
    public const string MediaType = "application/x-float32";
    public const string OctetStream = "application/octet-stream";
    public const int HeaderSize = 16;

    /// <summary>"BPF1" as a little-endian uint32.</summary>
    public const uint Magic = 0x3146_5042;
    public const ushort ClassIndicesFlag = 1;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a binary request body.</summary>
    /// <exception cref="PredictInputException">Truncated, foreign, oversized or inconsistent.</exception>
    public static (string? Model, PredictRows Rows) Read(ReadOnlySpan<byte> body, int maxRows)
    {
        if (body.Length < HeaderSize)
            throw new PredictInputException("body", $"The binary body has {body.Length} bytes, fewer than its {HeaderSize}-byte header "
                + "(magic 'BPF1', rows, columns, model name length, flags); see the format in the API description.");
        if (BinaryPrimitives.ReadUInt32LittleEndian(body) != Magic)
            throw new PredictInputException("body", $"A binary body starts with the magic 'BPF1' (version 1); send JSON as application/json.");
        uint rows = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
        uint columns = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(body[12..]);
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
        if (flags != 0) throw new PredictInputException("flags", $"The header's flags (bytes 14-15) must be 0 in a request, got {flags}.");
        if (rows == 0) throw new PredictInputException("rows", "Required: one or more rows.");
        if (rows > maxRows) throw new PredictInputException("rows", $"At most {maxRows} rows per request, got {rows}; split the batch.");
        if (columns == 0) throw new PredictInputException("columns", "Required: one or more columns (the model's inputs).");
        long expected = HeaderSize + nameLength + (long)rows * columns * sizeof(float);
        if (body.Length != expected)
            throw new PredictInputException("body", $"Expected {expected} bytes ({HeaderSize}-byte header, {nameLength}-byte model name, "
                + $"{rows} rows × {columns} float32), got {body.Length}.");

        string? model = null;
        if (nameLength > 0)
        {
            try
            {
                model = StrictUtf8.GetString(body.Slice(HeaderSize, nameLength));
            }
            catch (DecoderFallbackException)
            {
                throw new PredictInputException("model", "The model name in the header is not valid UTF-8.");
            }
        }

        var values = body[(HeaderSize + nameLength)..];
        var result = new PredictRows((int)(rows * columns), (int)rows);
        int width = (int)columns;
        if (BitConverter.IsLittleEndian)
        {
            var floats = MemoryMarshal.Cast<byte, float>(values);
            for (int r = 0; r < rows; r++) result.AddRow(floats.Slice(r * width, width));
        }
        else
        {
            var row = new float[width];
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < width; c++)
                    row[c] = BinaryPrimitives.ReadSingleLittleEndian(values[((r * width + c) * sizeof(float))..]);
                result.AddRow(row);
            }
        }
        return (model, result);
    }

    /// <summary>Writes the response header for <paramref name="rows"/> answers of <paramref name="outputs"/> values each.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, int rows, int outputs, ReadOnlySpan<byte> modelId, bool classIndices)
    {
        var span = output.GetSpan(HeaderSize + modelId.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)rows);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)outputs);
        BinaryPrimitives.WriteUInt16LittleEndian(span[12..], (ushort)modelId.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[14..], classIndices ? ClassIndicesFlag : (ushort)0);
        modelId.CopyTo(span[HeaderSize..]);
        output.Advance(HeaderSize + modelId.Length);
    }

    public static void WriteFloats(IBufferWriter<byte> output, ReadOnlySpan<float> values)
    {
        int bytes = values.Length * sizeof(float);
        var span = output.GetSpan(bytes);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(span);
        }
        else
        {
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(span[(i * sizeof(float))..], values[i]);
        }
        output.Advance(bytes);
    }

    public static void WriteInt32(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(sizeof(int)), value);
        output.Advance(sizeof(int));
    }
}
