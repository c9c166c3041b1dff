using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EdgePartition.Consumers.Json;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Feed;

/// <summary>
/// One websocket client from accept to close. The send loop is the only sender (websockets allow one send at a
/// time): it sends the snapshot, then frames drained from the client's coalescing slots, and finally the close
/// frame. The receive loop only reads subscribe messages; anything malformed or oversized ends the session with a
/// close status and a reason, and nothing a client sends can reach a segment.
/// </summary>
public sealed partial class FeedSession(WebSocket socket, FeedClient client, FeedHub hub, ILogger logger)
{
    /// <summary>Where write messages go; null refuses them silently (a feed without the write path).</summary>
    public Writes.OperatorWrites? Writes { get; init; }

    /// <summary>How long a close handshake may take before the connection is simply dropped.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopSending = new();
    private WebSocketCloseStatus? _closeStatus;
    private string _closeReason = "";
    private int _closeRequested;

    public async Task RunAsync(CancellationToken applicationStopping, CancellationToken requestAborted)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        using var onStopping = applicationStopping.Register(() => RequestClose(WebSocketCloseStatus.EndpointUnavailable, "server stopping"));
        var receiving = ReceiveLoopAsync(abort.Token);
        try
        {
            await SendLoopAsync(abort.Token).ConfigureAwait(false);
            if (_closeStatus is { } status && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var closeTimeout = new CancellationTokenSource(CloseHandshakeTimeout);
                await socket.CloseOutputAsync(status, _closeReason, closeTimeout.Token).ConfigureAwait(false);
                // Let the client answer with its close frame (the receive loop drains until then), bounded.
                await receiving.WaitAsync(CloseHandshakeTimeout, applicationStopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            LogConnectionLost(logger, e.Message);
        }
        finally
        {
            await abort.CancelAsync().ConfigureAwait(false);
            socket.Abort();
            try
            {
                await receiving.ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // The receive side ends with the socket; its reason was logged or requested already.
            }

            _stopSending.Dispose();
        }
    }

    /// <summary>Asks the send loop to finish with a close frame; the first reason wins.</summary>
    private void RequestClose(WebSocketCloseStatus? status, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) != 0)
        {
            return;
        }

        _closeStatus = status;
        _closeReason = reason;
        try
        {
            _stopSending.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session already ended.
        }
    }

    private async Task SendLoopAsync(CancellationToken aborted)
    {
        using var frame = new FeedFrame();
        var snapshotBuffer = new ArrayBufferWriter<byte>(16 * 1024);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopSending.Token);
        while (true)
        {
            bool resync;
            try
            {
                resync = await client.WaitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopSending.IsCancellationRequested)
            {
                return;
            }

            if (resync)
            {
                snapshotBuffer.ResetWrittenCount();
                using (var writer = new Utf8JsonWriter(snapshotBuffer, JsonDefaults.WriterOptions))
                {
                    FeedJson.WriteSnapshot(writer, hub.Partition, hub.SnapshotFor(client), client.Subscription);
                }

                await SendAsync(snapshotBuffer.WrittenMemory, aborted).ConfigureAwait(false);
            }

            frame.Reset();
            if (client.Drain(frame, hub.Limits.MaxFrameBytes) > 0)
            {
                await SendAsync(frame.Complete(), aborted).ConfigureAwait(false);
            }
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(hub.Limits.SendTimeout);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            // The client took nothing for the whole send timeout: it holds a buffer and must not hold it forever.
            hub.CountClosedSlow();
            LogSlowClient(logger, hub.Limits.SendTimeout.TotalSeconds);
            throw;
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken aborted)
    {
        var limit = hub.Limits.MaxClientMessageBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        var draining = false;
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;

                // The limit counts the message across its fragments and is acted on as soon as it is passed: a message
                // that never ends (continuation frames without FIN) must not be read and dropped for ever.
                do
                {
                    // While draining (after the server asked to close), frames are read and dropped until the
                    // client's close frame arrives: closing a TCP connection with unread data would reset it and
                    // could destroy the close frame that tells the client why.
                    var room = draining || length > limit ? buffer.AsMemory(0, limit + 1) : buffer.AsMemory(length, limit + 1 - length);
                    result = await socket.ReceiveAsync(room, aborted).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close && (draining || length <= limit));

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    RequestClose(WebSocketCloseStatus.NormalClosure, "");
                    return;
                }

                if (draining)
                {
                    continue;
                }

                draining = true;
                if (length > limit)
                {
                    Misbehaved(WebSocketCloseStatus.MessageTooBig, $"message larger than {limit} bytes");
                }
                else if (result.MessageType != WebSocketMessageType.Text)
                {
                    Misbehaved(WebSocketCloseStatus.InvalidMessageType, "only text (JSON) messages are accepted");
                }
                else if (!TryHandle(buffer.AsSpan(0, length), out var status, out var reason))
                {
                    Misbehaved(status, reason);
                }
                else
                {
                    draining = false;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            RequestClose(null, "");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Misbehaved(WebSocketCloseStatus status, string reason)
    {
        hub.CountClosedMisbehaving();
        LogMisbehaved(logger, reason);
        RequestClose(status, reason);
    }

    /// <summary>Handles <c>{"type":"subscribe","devices":"plc*","tags":"DB1.*,heartbeat"}</c> (patterns may be arrays).</summary>
    private bool TryHandle(ReadOnlySpan<byte> message, out WebSocketCloseStatus status, out string reason)
    {
        status = WebSocketCloseStatus.InvalidPayloadData;
        reason = "";
        if (!System.Text.Unicode.Utf8.IsValid(message))
        {
            reason = "message is not UTF-8";
            return false;
        }

        if (FeedWrites.TryStart(message, client, Writes, CancellationToken.None, out var writeError))
        {
            status = WebSocketCloseStatus.PolicyViolation;
            reason = writeError ?? "";
            return writeError is null;
        }

        string? type = null, devices = null, tags = null;
        try
        {
            var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                reason = "message is not a JSON object";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.GetString();
                reader.Read();
                var value = PatternText(ref reader);
                switch (property)
                {
                    case "type": type = value; break;
                    case "devices": devices = value; break;
                    case "tags": tags = value; break;
                    default: break;
                }
            }
        }
        catch (JsonException)
        {
            reason = "message is not valid JSON";
            return false;
        }
        catch (InvalidOperationException)
        {
            reason = "type, devices and tags must be strings or arrays of strings";
            return false;
        }

        status = WebSocketCloseStatus.PolicyViolation;
        if (type != "subscribe")
        {
            reason = type is null ? "message has no type" : "unknown message type (only \"subscribe\" and \"write\")";
            return false;
        }

        if (!Subscription.TryParse(devices, tags, out var subscription, out var error))
        {
            reason = Truncate(error ?? "bad pattern");
            return false;
        }

        client.RequestResync(subscription);
        return true;
    }

    /// <summary>A string, or an array of strings joined with commas; anything else throws InvalidOperationException.</summary>
    private static string? PatternText(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return reader.GetString();
        }

        var joined = new StringBuilder();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (joined.Length > 0)
            {
                joined.Append(',');
            }

            joined.Append(reader.GetString());
        }

        return joined.ToString();
    }

    /// <summary>Close reasons are limited to 123 UTF-8 bytes by the protocol.</summary>
    private static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..120];

    [LoggerMessage(EventId = 601, Level = LogLevel.Debug, Message = "Websocket client closed: {Reason}")]
    private static partial void LogMisbehaved(ILogger logger, string reason);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Closed a websocket client that accepted nothing for {Seconds} s")]
    private static partial void LogSlowClient(ILogger logger, double seconds);

    [LoggerMessage(EventId = 603, Level = LogLevel.Debug, Message = "Websocket connection lost: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string reason);
}
