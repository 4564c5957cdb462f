using System.IO.Compression;

namespace BackpropService.Engine.Data;

/// <summary>
/// Recognises gzip input by its magic bytes (1f 8b) rather than by a file name, because uploads arrive
/// as streams whose names may lie or be missing. Works on streams that cannot seek (network bodies):
/// the two peeked bytes are replayed in front of the rest.
/// </summary>
internal static class GzipDetection
{
    private const byte FirstMagicByte = 0x1f;
    private const byte SecondMagicByte = 0x8b;

    /// <summary>
    /// A stream of the uncompressed content: <paramref name="stream"/> itself (with its first bytes
    /// replayed) or a <see cref="GZipStream"/> over it. Disposing the result leaves
    /// <paramref name="stream"/> open; the caller still owns it. Reading more than <paramref name="maxBytes"/>
    /// uncompressed bytes throws a <see cref="DataFormatException"/>: a small gzip file can expand to gigabytes.
    /// </summary>
    public static Stream Decompressed(Stream stream, long maxBytes, string what, out bool wasCompressed)
    {
        Stream content = DecompressedUnbounded(stream, out wasCompressed);
        return maxBytes == long.MaxValue ? content : new BoundedStream(content, maxBytes, what);
    }

    private static Stream DecompressedUnbounded(Stream stream, out bool wasCompressed)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[2];
        int peeked = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        var replayed = new PrefixedStream(prefix.AsMemory(0, peeked), stream);
        wasCompressed = peeked == 2 && prefix[0] == FirstMagicByte && prefix[1] == SecondMagicByte;
        return wasCompressed ? new GZipStream(replayed, CompressionMode.Decompress, leaveOpen: false) : replayed;
    }

    /// <summary>A stream read once from front to back: everything but <see cref="Stream.Read(Span{byte})"/> is fixed.</summary>
    private abstract class ForwardReadStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public abstract override int Read(Span<byte> buffer);

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Passes reads through until more than a set number of bytes has come out, then refuses.</summary>
    private sealed class BoundedStream(Stream inner, long maxBytes, string what) : ForwardReadStream
    {
        private long _read;

        public override int Read(Span<byte> buffer)
        {
            int read = inner.Read(buffer);
            _read += read;
            if (_read > maxBytes)
                throw new DataFormatException($"{what}: the uncompressed data is larger than the limit of {maxBytes:N0} bytes.")
                {
                    Limit = DataLimit.UncompressedBytes,
                };
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Reads the peeked bytes first, then the rest of the inner stream (which it never disposes).</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : ForwardReadStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
                return inner.Read(buffer);
            int taken = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..taken].CopyTo(buffer);
            _prefix = _prefix[taken..];
            return taken;
        }
    }
}
