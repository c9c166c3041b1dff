using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace EdgePartition.Consumers.Tests;

/// <summary>A websocket client of /ws that reads JSON messages (flattening batch arrays) with bounded waits.</summary>
public sealed class FeedTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Queue<JsonElement> _pending = new();
    private readonly byte[] _buffer = new byte[1 << 20];

    public WebSocket Socket => _socket;

    public static async Task<FeedTestClient> ConnectAsync(TestPartition partition, string pathAndQuery = "/ws", string? token = null)
    {
        var client = new FeedTestClient();
        if (token is not null)
        {
            client._socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        await client._socket.ConnectAsync(partition.WebSocketUri(pathAndQuery), CancellationToken.None).WaitAsync(TestTimeouts.Default);
        return client;
    }

    /// <summary>
    /// A client whose TCP receive buffer is tiny, so a client that reads nothing really stops the server's sends
    /// after a few KiB, whatever the kernel's buffer autotuning would otherwise absorb.
    /// </summary>
    public static async Task<FeedTestClient> ConnectStalledAsync(TestPartition partition)
    {
        var client = new FeedTestClient();
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
                {
                    ReceiveBufferSize = 4096,
                };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        await client._socket.ConnectAsync(partition.WebSocketUri("/ws"), invoker, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        return client;
    }

    /// <summary>The next message, whatever its type.</summary>
    public async Task<JsonElement> NextAsync()
    {
        while (_pending.Count == 0)
        {
            var frame = await ReceiveFrameAsync();
            using var document = JsonDocument.Parse(frame);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in document.RootElement.EnumerateArray())
                {
                    _pending.Enqueue(item.Clone());
                }
            }
            else
            {
                _pending.Enqueue(document.RootElement.Clone());
            }
        }

        return _pending.Dequeue();
    }

    /// <summary>Reads messages until one satisfies <paramref name="match"/>; fails after the default timeout.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            var message = await NextAsync().WaitAsync(deadline.Token);
            if (match(message))
            {
                return message;
            }
        }
    }

    public Task<JsonElement> WaitForChangeAsync(string device, string tag) =>
        WaitForAsync(m => Type(m) == "change" && m.GetProperty("device").GetString() == device && m.GetProperty("tag").GetString() == tag);

    public async Task SendTextAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TestTimeouts.Default);

    /// <summary>Reads until the server closes; returns its close status and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> WaitForCloseAsync()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer, deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (result.CloseStatus, result.CloseStatusDescription);
            }
        }
    }

    public static string? Type(JsonElement message) => message.GetProperty("type").GetString();

    private async Task<string> ReceiveFrameAsync()
    {
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"server closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            length += result.Count;
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(_buffer, 0, length);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server went away first.
            }
        }

        _socket.Dispose();
    }
}
