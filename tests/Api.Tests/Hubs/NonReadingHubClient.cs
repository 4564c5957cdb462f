using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace BackpropService.Api.Tests.Hubs;

/// <summary>
/// A hub client on a raw WebSocket that subscribes to a job and then stops reading, like a browser tab whose
/// machine went to sleep or a client stuck in its own code. Its socket's receive buffer is made small, so the
/// server's writes back up after a few kilobytes instead of after the megabytes loopback TCP would buffer.
/// </summary>
internal sealed class NonReadingHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly HttpMessageInvoker _invoker;

    private NonReadingHubClient()
    {
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        });
    }

    /// <summary>Connects (skipping negotiation, as SignalR clients may on WebSockets), subscribes to the job, reads the answer, and from then on reads nothing.</summary>
    public static async Task<NonReadingHubClient> SubscribeAndStopReadingAsync(Uri hubAddress, string accessToken, string jobId, CancellationToken cancellationToken)
    {
        var client = new NonReadingHubClient();
        var address = new UriBuilder(hubAddress) { Scheme = hubAddress.Scheme == "https" ? "wss" : "ws", Query = $"access_token={Uri.EscapeDataString(accessToken)}" }.Uri;
        await client._socket.ConnectAsync(address, client._invoker, cancellationToken);
        await client.SendAsync("""{"protocol":"json","version":1}""", cancellationToken);
        await client.ReadUntilAsync(message => message == "{}", cancellationToken);
        await client.SendAsync($$"""{"type":1,"invocationId":"1","target":"SubscribeToJob","arguments":["{{jobId}}"]}""", cancellationToken);
        await client.ReadUntilAsync(message =>
        {
            using var json = JsonDocument.Parse(message);
            var root = json.RootElement;
            if (root.GetProperty("type").GetInt32() != 3) return false;
            Assert.False(root.TryGetProperty("error", out var error), $"SubscribeToJob failed: {error}");
            return true;
        }, cancellationToken);
        return client;
    }

    private Task SendAsync(string message, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>Reads hub messages until one satisfies <paramref name="isTheOne"/>.</summary>
    private async Task ReadUntilAsync(Func<string, bool> isTheOne, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var pending = new StringBuilder();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            Assert.True(result.MessageType != WebSocketMessageType.Close, $"the hub closed the socket: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            var text = pending.ToString();
            int end;
            while ((end = text.IndexOf(RecordSeparator, StringComparison.Ordinal)) >= 0)
            {
                var message = text[..end];
                text = text[(end + 1)..];
                if (isTheOne(message)) return;
            }
            pending.Clear().Append(text);
        }
    }

    public ValueTask DisposeAsync()
    {
        // Abort rather than close: a close handshake would need the reads this client refuses to do.
        _socket.Abort();
        _socket.Dispose();
        _invoker.Dispose();
        return ValueTask.CompletedTask;
    }
}
