using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using EdgePartition.Modbus.Framing;

namespace EdgePartition.Modbus.Server;

/// <summary>
/// A Modbus TCP server over a <see cref="ModbusDataStore"/>: many clients at once, each on its own task, requests of
/// one client answered in order (pipelined requests are answered in one send). A client that sends an invalid MBAP
/// header, cuts a frame off or stays silent past the idle timeout is disconnected without disturbing the others; a
/// well-framed but invalid request gets an exception reply.
/// </summary>
public sealed class ModbusTcpServer : IAsyncDisposable
{
    private const int ReplyBufferSize = 8 * ModbusLimits.MaxAduLength;

    private readonly ModbusServerOptions _options;
    private readonly ModbusRequestProcessor _processor;
    private readonly ConcurrentDictionary<ServedClient, Task> _clients = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _acceptLoop;

    public ModbusTcpServer(ModbusServerOptions options, ModbusDataStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxClients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxClientsPerAddress, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.FirstRequestTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.IdleTimeout, TimeSpan.Zero);
        _options = options;
        Store = store ?? new ModbusDataStore();
        _processor = new ModbusRequestProcessor(Store, options.WriteHandler, options.UnitIds);
    }

    public ModbusDataStore Store { get; }

    public ModbusServerCounters Counters { get; } = new();

    /// <summary>The bound end point after <see cref="Start"/> (with the port the OS picked for port 0).</summary>
    public IPEndPoint? EndPoint => _listener?.LocalEndPoint as IPEndPoint;

    public int Port => EndPoint?.Port ?? throw new InvalidOperationException("the server is not started");

    public int ClientCount => _clients.Count;

    /// <summary>
    /// A client was disconnected for garbage (malformed frame) or silence; for the host to log at Debug. Raised on
    /// the client's task.
    /// </summary>
    public event Action<EndPoint?, ModbusProtocolException>? ClientFault;

    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("the server is already started");
        }

        var listener = new Socket(_options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(_options.Address, _options.Port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener);
    }

    /// <summary>Stops listening, disconnects every client and waits for their tasks to end.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _listener?.Dispose();
        foreach (var client in _clients.Keys)
        {
            client.Socket.Dispose();
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        await Task.WhenAll(_clients.Values).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                continue; // a connection reset before it was accepted
            }

            var limits = new AdmissionLimits(_options.MaxClients, _options.MaxClientsPerAddress, _options.IdleBeforeReplaceable);
            if (!ConnectionAdmission.TryAdmit(_clients.Keys, (socket.RemoteEndPoint as IPEndPoint)?.Address, limits, Environment.TickCount64))
            {
                Counters.OnRefused();
                socket.Dispose();
                continue;
            }

            socket.NoDelay = true;
            Counters.OnAccepted();
            var client = new ServedClient(socket);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _clients[client] = ServeClientAsync(client, started.Task);
            started.SetResult();
        }
    }

    private async Task ServeClientAsync(ServedClient client, Task registered)
    {
        // Let the accept loop record this task before it can finish and remove itself.
        await registered.ConfigureAwait(false);
        var socket = client.Socket;
        var remote = client.Remote;
        var input = SocketPipe.Start(socket);
        var reply = ArrayPool<byte>.Shared.Rent(ReplyBufferSize);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        try
        {
            while (true)
            {
                // Until its first whole request a client has the (short) first-request deadline, then the idle timeout.
                idle.CancelAfter(client.HasTalked ? _options.IdleTimeout : _options.FirstRequestTimeout);
                var result = await input.ReadAsync(idle.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var consumed = buffer.Start;
                int replyLength = 0;
                bool replyFull = false;
                long leftover = 0;
                ModbusProtocolException? fault;
                try
                {
                    consumed = ProcessFrames(remote, buffer, reply, out replyLength, out replyFull, out fault);
                    leftover = buffer.Length - buffer.Slice(buffer.Start, consumed).Length;
                    client.OnReceived(request: replyLength > 0);
                }
                finally
                {
                    // When the reply buffer filled up, frames may be left: examined = consumed makes the next read return at once.
                    input.AdvanceTo(consumed, replyFull ? consumed : buffer.End);
                }

                if (replyLength > 0)
                {
                    await socket.SendAsync(reply.AsMemory(0, replyLength), SocketFlags.None, idle.Token).ConfigureAwait(false);
                }

                if (fault is null && !replyFull && result.IsCompleted && leftover > 0)
                {
                    fault = new ModbusProtocolException(ProtocolErrorReason.MalformedFrame, $"the client closed the connection in the middle of a frame ({leftover} bytes)");
                }

                if (fault is not null)
                {
                    Counters.OnMalformedFrame();
                    ClientFault?.Invoke(remote, fault);
                    break;
                }

                if (result.IsCompleted && !replyFull)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            Counters.OnIdleDisconnect();
            var silence = client.HasTalked ? _options.IdleTimeout : _options.FirstRequestTimeout;
            ClientFault?.Invoke(remote, new ModbusProtocolException(ProtocolErrorReason.Timeout, $"client silent for {silence.TotalSeconds:0.#} s"));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Stopping, or the client reset the connection: nothing to answer.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(reply);
            await input.CompleteAsync().ConfigureAwait(false);
            socket.Dispose();
            _clients.TryRemove(client, out _);
        }
    }

    /// <summary>
    /// Answers every whole frame in <paramref name="buffer"/> into <paramref name="reply"/>, stopping early when the
    /// reply buffer could not take another reply. Returns how far it consumed.
    /// </summary>
    private SequencePosition ProcessFrames(EndPoint? remote, ReadOnlySequence<byte> buffer, byte[] reply, out int replyLength,
        out bool replyFull, out ModbusProtocolException? fault)
    {
        var reader = new SequenceReader<byte>(buffer);
        replyLength = 0;
        fault = null;
        Span<byte> scratch = stackalloc byte[ModbusLimits.MaxPduLength];
        replyFull = false;
        try
        {
            while (!(replyFull = replyLength + ModbusLimits.MaxAduLength > reply.Length) && MbapFrameReader.TryRead(ref reader, out var header, out var pdu))
            {
                scoped ReadOnlySpan<byte> request;
                if (pdu.IsSingleSegment)
                {
                    request = pdu.FirstSpan;
                }
                else
                {
                    pdu.CopyTo(scratch);
                    request = scratch[..(int)pdu.Length];
                }

                var replyPdu = reply.AsSpan(replyLength + ModbusLimits.MbapHeaderLength, ModbusLimits.MaxPduLength);
                var pduLength = _processor.Process(remote, header.UnitId, request, replyPdu);
                MbapHeader.Write(reply.AsSpan(replyLength), header.TransactionId, header.UnitId, pduLength);
                replyLength += ModbusLimits.MbapHeaderLength + pduLength;
                Counters.OnRequest(exception: (replyPdu[0] & 0x80) != 0);
            }
        }
        catch (ModbusProtocolException e)
        {
            fault = e;
        }

        return reader.Position;
    }
}
