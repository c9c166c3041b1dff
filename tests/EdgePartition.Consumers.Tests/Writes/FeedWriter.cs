using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgePartition.Consumers.Tests.Writes;

/// <summary>A websocket feed client that sends write messages and waits for their writeResult, skipping the changes.</summary>
internal sealed class FeedWriter : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[1 << 20];

    public static async Task<FeedWriter> ConnectAsync(Uri baseAddress, string secret)
    {
        var writer = new FeedWriter();
        writer._socket.Options.SetRequestHeader("Authorization", "Bearer " + secret);
        var ws = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/ws", Query = "devices=none" }.Uri;
        await writer._socket.ConnectAsync(ws, TestTimeouts.Token());
        return writer;
    }

    public async Task<JsonObject> WriteAsync(string id, string device, string tag, JsonNode? value, int? index = null)
    {
        var message = new JsonObject { ["type"] = "write", ["id"] = id, ["device"] = device, ["tag"] = tag, ["value"] = value };
        if (index is { } i)
        {
            message["index"] = i;
        }

        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, TestTimeouts.Token());
        return await ResultAsync(id);
    }

    public async Task SendRawAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, TestTimeouts.Token());

    /// <summary>Reads messages (single ones or arrays of them) until the writeResult of <paramref name="id"/>.</summary>
    public async Task<JsonObject> ResultAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        for (var frames = 0; frames < 10_000; frames++)
        {
            var length = 0;
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(new ArraySegment<byte>(_buffer, length, _buffer.Length - length), timeout.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"the server closed the feed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            var node = JsonNode.Parse(_buffer.AsSpan(0, length));
            foreach (var message in node is JsonArray array ? array.ToArray() : [node])
            {
                if (message is JsonObject obj && obj["type"]?.GetValue<string>() == "writeResult" && obj["id"]?.GetValue<string>() == id)
                {
                    return obj;
                }
            }
        }

        throw new InvalidOperationException("no writeResult in 10000 frames");
    }

    public WebSocketState State => _socket.State;

    public async Task<WebSocketCloseStatus?> WaitForCloseAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        for (var frames = 0; frames < 10_000; frames++)
        {
            var result = await _socket.ReceiveAsync(new ArraySegment<byte>(_buffer), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        await Task.CompletedTask;
    }
}
