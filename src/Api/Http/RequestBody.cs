using System.Buffers;

namespace BackpropService.Api.Http;

/// <summary>
/// A request body read whole into pooled memory within a size limit: the one way this service reads a raw body
/// (predict requests, model files). The buffer grows with the bytes that arrive, not with the Content-Length a
/// client declares, so a slow or lying client holds only what it has sent. The body is consumed as it arrives,
/// so one larger than the server's input buffer never stalls. Dispose returns the buffer.
/// </summary>
public readonly struct RequestBody(byte[] buffer, int length) : IDisposable
{
    // Enough for a typical predict request (a few KB) in one rent.
    private const int InitialCapacity = 4096;

    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

    public int Length => length;

    /// <summary>The size of the buffer held (for tests: it follows the bytes received).</summary>
    internal int Capacity => buffer.Length;

    /// <exception cref="RequestBodyTooLargeException">The body (declared or received) is larger than <paramref name="limit"/> bytes.</exception>
    public static async ValueTask<RequestBody> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) throw new RequestBodyTooLargeException(limit);
        var reader = request.BodyReader;
        byte[] buffer = [];
        int length = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var data = result.Buffer;
                if (length + data.Length > limit)
                {
                    reader.AdvanceTo(data.End);
                    throw new RequestBodyTooLargeException(limit);
                }
                if (length + data.Length > buffer.Length)
                {
                    // Doubling keeps the copies linear in the body's size.
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Max(Math.Max(InitialCapacity, buffer.Length * 2L), length + data.Length));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    Return(buffer);
                    buffer = larger;
                }
                data.CopyTo(buffer.AsSpan(length));
                length += (int)data.Length;
                reader.AdvanceTo(data.End);
                if (result.IsCompleted) return new RequestBody(buffer, length);
            }
        }
        catch
        {
            Return(buffer);
            throw;
        }
    }

    public void Dispose() => Return(buffer);

    private static void Return(byte[]? buffer)
    {
        if (buffer is { Length: > 0 }) ArrayPool<byte>.Shared.Return(buffer);
    }
}
