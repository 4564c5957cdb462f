using System.Buffers;

namespace BackpropService.Api.Predict;

/// <summary>A request body read whole into a pooled buffer (consumed as it arrives, so a body larger
/// than the server's input buffer never stalls). Dispose returns the buffer.</summary>
public readonly struct RequestBody(byte[] buffer, int length) : IDisposable
{
    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

    public int Length => length;

    /// <exception cref="PredictInputException">The body is larger than <paramref name="limit"/> bytes (413).</exception>
    public static async ValueTask<RequestBody> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) throw TooLarge(limit);
        var reader = request.BodyReader;
        byte[]? buffer = null;
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
                    throw TooLarge(limit);
                }
                if (buffer is null)
                {
                    buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(256, Math.Max(request.ContentLength ?? 0, data.Length)));
                }
                else if (length + data.Length > buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Max(buffer.Length * 2L, length + data.Length));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
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
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }

    private static PredictInputException TooLarge(long limit) => new("body",
        $"The request body is larger than the limit of {limit:N0} bytes (Limits:MaxJsonBytes); split it.",
        StatusCodes.Status413PayloadTooLarge);
}
