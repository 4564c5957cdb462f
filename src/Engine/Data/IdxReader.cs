using System.Buffers.Binary;
using System.Globalization;

namespace BackpropService.Engine.Data;

/// <summary>
/// Reads the IDX format that MNIST ships in, raw or gzip-compressed (recognised by its magic bytes).
/// A file is a 4-byte magic number (two zero bytes, a data-type byte, a dimension-count byte), one
/// big-endian 32-bit size per dimension, then the values. Only unsigned bytes (type 0x08) are read:
/// that is what image and label files use.
/// </summary>
public static class IdxReader
{
    /// <summary>Unsigned bytes, 3 dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Unsigned bytes, 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>
    /// The most pixel or label bytes a header may announce. A header is only 16 bytes, so a corrupt or
    /// hostile one could otherwise make us allocate gigabytes before we notice the file is short.
    /// </summary>
    public const long MaxPayloadBytes = 1_000_000_000;

    private const byte UnsignedByteType = 0x08;

    /// <summary>Buffers start at most this big and grow as bytes actually arrive (see <see cref="MaxPayloadBytes"/>).</summary>
    private const int InitialBufferBytes = 16 * 1024 * 1024;

    /// <summary>Reads an images file (magic 0x00000803). Does not dispose <paramref name="stream"/>.</summary>
    /// <exception cref="DataFormatException">The content is not a complete, well-formed IDX images file.</exception>
    public static IdxImages ReadImages(Stream stream) => ReadImages(stream, MaxPayloadBytes);

    /// <summary>Reads an images file whose pixels may take at most <paramref name="maxBytes"/> bytes (after gunzip).</summary>
    /// <exception cref="DataFormatException">The content is not a complete, well-formed IDX images file, or is larger.</exception>
    public static IdxImages ReadImages(Stream stream, long maxBytes)
    {
        const string what = "IDX images file";
        maxBytes = Math.Min(maxBytes, MaxPayloadBytes);
        return ReadDecompressed(stream, what, "images", maxBytes, content =>
        {
            Span<byte> header = stackalloc byte[16];
            ReadHeader(content, header, ImagesMagic, dimensions: 3, what);
            int count = ReadDimension(header, 4, "image count", what);
            int rows = ReadDimension(header, 8, "row count", what);
            int columns = ReadDimension(header, 12, "column count", what);
            long expected = (long)count * rows * columns;
            if (expected > maxBytes)
                throw new DataFormatException(
                    $"{what}: the header announces {count} images of {rows}×{columns} = {expected} pixel bytes, " +
                    $"more than the limit of {maxBytes}; the file is too large or its header (bytes 4–15) is corrupt.");
            byte[] pixels = ReadPayload(content, (int)expected, headerBytes: 16, what);
            return new IdxImages(count, rows, columns, pixels);
        });
    }

    /// <summary>Reads a labels file (magic 0x00000801). Does not dispose <paramref name="stream"/>.</summary>
    /// <exception cref="DataFormatException">The content is not a complete, well-formed IDX labels file.</exception>
    public static byte[] ReadLabels(Stream stream) => ReadLabels(stream, MaxPayloadBytes);

    /// <summary>Reads a labels file of at most <paramref name="maxBytes"/> labels.</summary>
    /// <exception cref="DataFormatException">The content is not a complete, well-formed IDX labels file, or is larger.</exception>
    public static byte[] ReadLabels(Stream stream, long maxBytes)
    {
        const string what = "IDX labels file";
        maxBytes = Math.Min(maxBytes, MaxPayloadBytes);
        return ReadDecompressed(stream, what, "labels", maxBytes, content =>
        {
            Span<byte> header = stackalloc byte[8];
            ReadHeader(content, header, LabelsMagic, dimensions: 1, what);
            int count = ReadDimension(header, 4, "label count", what);
            if (count > maxBytes)
                throw new DataFormatException(
                    $"{what}: the header announces {count} labels, more than the limit of {maxBytes}; " +
                    "the file is too large or its header (bytes 4–7) is corrupt.");
            return ReadPayload(content, count, headerBytes: 8, what);
        });
    }

    /// <summary>Reads an images file and its labels file into a classification dataset (see <see cref="ToDataset"/>).</summary>
    public static Dataset Read(string name, Stream images, Stream labels) =>
        Read(name, images, labels, MaxPayloadBytes);

    /// <summary>
    /// As <see cref="Read(string, Stream, Stream)"/>, with each file's uncompressed payload bounded by
    /// <paramref name="maxBytes"/> (a service passes its limit, so a small gzip upload cannot expand to gigabytes).
    /// </summary>
    public static Dataset Read(string name, Stream images, Stream labels, long maxBytes) =>
        ToDataset(name, ReadImages(images, maxBytes), ReadLabels(labels, maxBytes));

    /// <summary>
    /// A classification dataset with one feature per pixel, scaled from 0..255 to [0, 1] so that the usual weight
    /// initialisations start in a sensible range, and the shape 1 × rows × columns (one grey channel; MNIST: 1 × 28 × 28).
    /// IDX labels are already class indices, so they are kept as they are: there are max(label) + 1 classes, named
    /// "0", "1", … (digits for MNIST).
    /// </summary>
    /// <exception cref="DataFormatException">The images and labels do not describe the same samples.</exception>
    public static Dataset ToDataset(string name, IdxImages images, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != images.Count)
            throw new DataFormatException(
                $"IDX: the images file has {images.Count} images but the labels file has {labels.Length} labels; " +
                "they must come from the same set (for example train-images with train-labels).") { Field = "labels" };

        var inputs = new float[images.Pixels.Length];
        for (int i = 0; i < inputs.Length; i++)
            inputs[i] = images.Pixels[i] / 255f;

        var classIndices = new int[labels.Length];
        int maxLabel = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            classIndices[i] = labels[i];
            maxLabel = Math.Max(maxLabel, labels[i]);
        }
        var classNames = new string[maxLabel + 1];
        for (int c = 0; c < classNames.Length; c++)
            classNames[c] = c.ToString(CultureInfo.InvariantCulture);

        return Dataset.ForClassification(name, images.PixelsPerImage, inputs, classIndices, classNames,
            shape: new TensorShape(1, images.Rows, images.Columns));
    }

    /// <param name="field">The upload field of the file (<c>images</c>, <c>labels</c>): every problem found in it is named on it.</param>
    private static T ReadDecompressed<T>(Stream stream, string what, string field, long maxPayloadBytes, Func<Stream, T> read)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            // The header (at most 16 bytes) comes on top of the payload.
            using Stream content = GzipDetection.Decompressed(stream, maxPayloadBytes + 16, what, out _);
            return read(content);
        }
        catch (InvalidDataException ex)
        {
            // GZipStream reports a damaged archive this way, possibly deep into the pixels.
            throw new DataFormatException($"{what}: the gzip data is damaged ({ex.Message}).", ex) { Field = field };
        }
        catch (DataFormatException ex) when (ex.Field is null)
        {
            throw new DataFormatException(ex.Message, ex) { Field = field };
        }
    }

    /// <summary>Reads and checks the magic number before the sizes, so a wrong kind of file is named as such even when short.</summary>
    private static void ReadHeader(Stream content, Span<byte> header, int expectedMagic, int dimensions, string what)
    {
        int read = content.ReadAtLeast(header[..4], 4, throwOnEndOfStream: false);
        if (read == 0)
            throw new DataFormatException($"{what}: the file is empty.");
        if (read == 4)
        {
            CheckMagic(header, expectedMagic, dimensions, what);
            read += content.ReadAtLeast(header[4..], header.Length - 4, throwOnEndOfStream: false);
        }
        if (read < header.Length)
            throw new DataFormatException(
                $"{what}: the file is truncated inside its header: expected {header.Length} header bytes, got {read}.");
    }

    private static void CheckMagic(ReadOnlySpan<byte> header, int expectedMagic, int dimensions, string what)
    {
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic == expectedMagic)
            return;

        string problem;
        if (header[0] != 0 || header[1] != 0)
            problem = "the first two bytes must be zero; this is not an IDX file";
        else if (header[2] != UnsignedByteType)
            problem = $"data type byte (offset 2) is 0x{header[2]:x2}, only 0x{UnsignedByteType:x2} (unsigned byte) is supported";
        else if (header[3] != dimensions)
            problem = $"dimension count (offset 3) is {header[3]}, expected {dimensions}" +
                (magic == ImagesMagic ? " — this looks like an images file" :
                 magic == LabelsMagic ? " — this looks like a labels file" : "");
        else
            problem = "unexpected value";
        throw new DataFormatException(
            $"{what}: bad magic number 0x{magic:x8} at offset 0, expected 0x{expectedMagic:x8} ({problem}).");
    }

    private static int ReadDimension(ReadOnlySpan<byte> header, int offset, string field, string what)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(header[offset..]);
        if (value < 1)
            throw new DataFormatException($"{what}: {field} (header offset {offset}) is {value}; it must be at least 1.");
        return value;
    }

    /// <summary>
    /// Reads exactly <paramref name="expected"/> bytes and checks nothing follows them, so that a file
    /// cut short or with a wrong header is rejected instead of silently misread.
    /// </summary>
    private static byte[] ReadPayload(Stream content, int expected, int headerBytes, string what)
    {
        // Grow as bytes arrive rather than trusting the header with one big allocation.
        var buffer = new byte[Math.Min(expected, InitialBufferBytes)];
        int filled = 0;
        while (filled < expected)
        {
            if (filled == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(expected, 2L * buffer.Length));
            int read = content.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
                throw new DataFormatException(
                    $"{what}: the file is truncated: the header announces {expected} data bytes " +
                    $"({headerBytes + (long)expected} bytes in all) but only {filled} data bytes " +
                    $"({headerBytes + (long)filled} in all) are present.");
            filled += read;
        }

        long extra = CountRemainingBytes(content);
        if (extra > 0)
            throw new DataFormatException(
                $"{what}: {extra} unexpected bytes after the {expected} data bytes the header announces " +
                $"(expected {headerBytes + (long)expected} bytes in all, got {headerBytes + (long)expected + extra}).");
        return buffer;
    }

    private static long CountRemainingBytes(Stream content)
    {
        var scratch = new byte[81920];
        long total = 0;
        int read;
        while ((read = content.Read(scratch, 0, scratch.Length)) > 0)
            total += read;
        return total;
    }
}
