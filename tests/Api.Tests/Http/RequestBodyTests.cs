using BackpropService.Api.Http;
using Microsoft.AspNetCore.Http;

namespace BackpropService.Api.Tests.Http;

/// <summary>The one size-limited body reader: memory follows the bytes that arrive, never the declared length.</summary>
public sealed class RequestBodyTests
{
    [Fact]
    public async Task A_body_that_declares_50_MB_but_sends_1_KB_holds_a_buffer_the_size_of_what_arrived()
    {
        var request = Request(new MemoryStream(new byte[1000]), declaredLength: 50_000_000);

        using var body = await RequestBody.ReadAsync(request, limit: 64_000_000, CancellationToken.None);

        Assert.Equal(1000, body.Length);
        Assert.True(body.Capacity <= 64 * 1024, $"holds {body.Capacity:N0} bytes for 1,000 received");
    }

    [Fact]
    public async Task A_body_arriving_in_small_pieces_is_read_whole_within_twice_its_size()
    {
        byte[] content = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];
        var request = Request(new TrickleStream(content, pieceSize: 1000), declaredLength: null);

        using var body = await RequestBody.ReadAsync(request, limit: 1_000_000, CancellationToken.None);

        Assert.Equal(content, body.Span.ToArray());
        Assert.True(body.Capacity < 2 * content.Length, $"holds {body.Capacity:N0} bytes for {content.Length:N0}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_past_the_limit_is_refused_whether_or_not_it_declared_its_length(bool declared)
    {
        var request = Request(new TrickleStream(new byte[5000], pieceSize: 1000), declaredLength: declared ? 5000 : null);

        var error = await Assert.ThrowsAsync<RequestBodyTooLargeException>(() => RequestBody.ReadAsync(request, limit: 4096, CancellationToken.None).AsTask());
        Assert.Equal(4096, error.Limit);
    }

    private static HttpRequest Request(Stream body, long? declaredLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = body;
        context.Request.ContentLength = declaredLength;
        return context.Request;
    }

    /// <summary>Hands out its content at most <c>pieceSize</c> bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] content, int pieceSize) : MemoryStream(content, writable: false)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, pieceSize)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, pieceSize)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, pieceSize), cancellationToken);
    }
}
