using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using EdgePartition.S7.Framing;
using EdgePartition.S7.Wire;

namespace EdgePartition.S7.Server;

/// <summary>
/// One client of the virtual PLC: COTP connect, Setup Communication, then Read Var / Write Var jobs answered in
/// order. Anything malformed ends this connection only.
/// </summary>
internal sealed class S7ServerConnection : IAdmittedConnection
{
    /// <summary>Largest frame accepted before negotiation: a CR or a Setup Communication job.</summary>
    private const int HandshakeFrameLimit = 1024;

    private const int MaxPdu = 960;

    private readonly S7Server _server;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly IsoMessageReader _messages;
    private readonly byte[] _request = new byte[MaxPdu];
    private readonly byte[] _response = new byte[IsoFrameCodec.DataHeaderLength + MaxPdu];
    private int _pduSize;
    private int _closed;
    private int _evicted;
    private long _lastActivity = Environment.TickCount64;

    public S7ServerConnection(S7Server server, Socket socket)
    {
        _server = server;
        _socket = socket;
        Remote = socket.RemoteEndPoint;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024));
        _messages = new IsoMessageReader(_reader);
    }

    public EndPoint? Remote { get; }

    public IPAddress? RemoteAddress => (Remote as IPEndPoint)?.Address;

    public long LastActivityMs => Volatile.Read(ref _lastActivity);

    /// <summary>Setup Communication is done.</summary>
    public bool HasTalked => Volatile.Read(ref _pduSize) != 0;

    public bool Evicted => Volatile.Read(ref _evicted) != 0;

    public async Task RunAsync(CancellationToken stopping)
    {
        var options = _server.Options;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);

        // The whole handshake (CR, then Setup Communication) has one deadline: a client that connects and says nothing,
        // or trickles a byte at a time, holds a place only this long.
        if (options.HandshakeTimeout != Timeout.InfiniteTimeSpan)
        {
            idle.CancelAfter(options.HandshakeTimeout);
        }

        // COTP: the first TPDU must be a connection request.
        int length = await ReadAsync(_request, HandshakeFrameLimit, idle, options.IdleTimeout).ConfigureAwait(false);
        if (length >= 0 || _messages.LastControl.Type != CotpPduType.ConnectionRequest)
        {
            S7ProtocolException.ThrowMalformed("the first TPDU is not a COTP connection request");
        }

        var request = _messages.LastControl;
        byte tpduSize = request.TpduSizeCode is >= 7 and <= 13 ? Math.Min(request.TpduSizeCode, (byte)0x0A) : (byte)0x0A;
        int confirm = IsoFrameCodec.WriteConnection(_response, CotpPduType.ConnectionConfirm, request.SourceReference, 0x0001, tpduSize,
            request.CallingTsap, request.CalledTsap);
        await SendAsync(confirm, stopping).ConfigureAwait(false);

        while (true)
        {
            int limit = _pduSize == 0 ? HandshakeFrameLimit : IsoFrameCodec.DataHeaderLength + _pduSize;
            length = await ReadAsync(_pduSize == 0 ? _request : _request.AsMemory(0, _pduSize), limit, idle, options.IdleTimeout)
                .ConfigureAwait(false);
            if (length < 0)
            {
                if (_messages.LastControl.Type is CotpPduType.DisconnectRequest)
                {
                    return;
                }

                S7ProtocolException.ThrowMalformed($"unexpected COTP TPDU 0x{(byte)_messages.LastControl.Type:X2}");
            }

            int responseLength = Handle(_request.AsSpan(0, length), _response.AsSpan(IsoFrameCodec.DataHeaderLength));
            int frame = IsoFrameCodec.WriteDataHeader(_response, responseLength);
            await SendAsync(frame, stopping).ConfigureAwait(false);
        }
    }

    // Pooled: the connection loop waits here for every job, and a plain ValueTask state machine would allocate its
    // box each time the wait really suspends.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadAsync(Memory<byte> buffer, int limit, CancellationTokenSource idle, TimeSpan idleTimeout)
    {
        // Before Setup Communication the handshake deadline runs; after it, the idle timeout per frame (or none).
        if (_pduSize != 0)
        {
            idle.CancelAfter(idleTimeout);
        }

        int length = await _messages.ReadAsync(buffer, limit, idle.Token).ConfigureAwait(false);
        Volatile.Write(ref _lastActivity, Environment.TickCount64);
        return length;
    }

    /// <summary>Answers one S7 job; returns the length of the response PDU written to <paramref name="response"/>.</summary>
    private int Handle(ReadOnlySpan<byte> pdu, Span<byte> response)
    {
        var header = S7Header.Parse(pdu);
        if (header.Type != S7MessageType.Job)
        {
            if (header.Type == S7MessageType.UserData)
            {
                return S7UserDataResponder.Respond(pdu, header, _server.CpuStatus, response);
            }

            S7ProtocolException.ThrowMalformed($"a client sent ROSCTR {(byte)header.Type}, not a job");
        }

        var parameters = pdu.Slice(S7Header.JobLength, header.ParameterLength);
        var data = pdu.Slice(S7Header.JobLength + header.ParameterLength, header.DataLength);
        if (parameters.IsEmpty)
        {
            S7ProtocolException.ThrowMalformed("job without parameters");
        }

        var function = (S7Function)parameters[0];
        if (function == S7Function.SetupCommunication)
        {
            return SetupCommunication(parameters, header, response);
        }

        if (_pduSize == 0)
        {
            S7ProtocolException.ThrowMalformed("job before Setup Communication");
        }

        return function switch
        {
            S7Function.ReadVar => ReadVar(parameters, header, response),
            S7Function.WriteVar => WriteVar(parameters, data, header, response),
            _ => WriteError(response, header, 0x81, 0x04),
        };
    }

    private int SetupCommunication(ReadOnlySpan<byte> parameters, in S7Header header, Span<byte> response)
    {
        if (parameters.Length < 8)
        {
            S7ProtocolException.ThrowMalformed("Setup Communication parameters shorter than 8 bytes");
        }

        var options = _server.Options;
        int requestedJobs = BinaryPrimitives.ReadUInt16BigEndian(parameters[2..]);
        int requestedPdu = BinaryPrimitives.ReadUInt16BigEndian(parameters[6..]);
        int jobs = Math.Clamp(requestedJobs, 1, options.MaxParallelJobs);
        _pduSize = Math.Clamp(requestedPdu, 240, options.MaxPduSize);
        S7Header.Write(response, S7MessageType.AckData, header.PduReference, 8, 0);
        var reply = response[S7Header.AckLength..];
        reply[0] = (byte)S7Function.SetupCommunication;
        reply[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(reply[2..], (ushort)jobs);
        BinaryPrimitives.WriteUInt16BigEndian(reply[4..], (ushort)jobs);
        BinaryPrimitives.WriteUInt16BigEndian(reply[6..], (ushort)_pduSize);
        return S7Header.AckLength + 8;
    }

    private int ReadVar(ReadOnlySpan<byte> parameters, in S7Header header, Span<byte> response)
    {
        Span<S7ItemSpec> items = stackalloc S7ItemSpec[S7JobReader.MaxItems];
        int count = S7JobReader.ReadItems(parameters, items);
        items = items[..count];

        // The whole reply must fit the PDU, or the job is refused as snap7 and PLCs do ("wrong frames").
        int replyLength = S7Header.AckLength + 2;
        foreach (var item in items)
        {
            int dataLength = item.Count < 0 ? 0 : item.DataLength;
            replyLength += 4 + dataLength + (dataLength & 1);
        }

        if (replyLength > _pduSize + 1)
        {
            return WriteError(response, header, 0x85, 0x00);
        }

        int position = S7Header.AckLength + 2;
        for (int i = 0; i < count; i++)
        {
            var item = items[i];
            var code = ReadItem(item, response[(position + 4)..], out int dataLength);
            response[position] = (byte)code;
            if (code != S7ReturnCode.Success)
            {
                response[position + 1] = S7TransportSize.DataNull;
                BinaryPrimitives.WriteUInt16BigEndian(response[(position + 2)..], 0);
                position += 4;
            }
            else
            {
                byte transport = item.IsBit ? S7TransportSize.DataBit
                    : item.Area.IsElementAddressed() ? S7TransportSize.DataOctetString : S7TransportSize.DataByte;
                response[position + 1] = transport;
                BinaryPrimitives.WriteUInt16BigEndian(response[(position + 2)..],
                    (ushort)(transport == S7TransportSize.DataByte ? dataLength * 8 : dataLength));
                position += 4 + dataLength;
                if ((dataLength & 1) != 0 && i < count - 1)
                {
                    response[position++] = 0;
                }
            }

            if (_server.HasAccessSubscribers(write: false))
            {
                _server.RaiseAccess(false, new S7ServerAccessEventArgs(Remote, item.Area, item.DbNumber, item.Offset, dataLength, code));
            }
        }

        S7Header.Write(response, S7MessageType.AckData, header.PduReference, 2, position - S7Header.AckLength - 2);
        response[S7Header.AckLength] = (byte)S7Function.ReadVar;
        response[S7Header.AckLength + 1] = (byte)count;
        return position;
    }

    private S7ReturnCode ReadItem(in S7ItemSpec item, Span<byte> destination, out int length)
    {
        length = 0;
        var resolved = ResolveItem(item, out var area, out int start, out int size);
        if (resolved != S7ReturnCode.Success)
        {
            return resolved;
        }

        if (!area.Gate.Wait(_server.Options.AreaLockTimeout))
        {
            return S7ReturnCode.HardwareFault;
        }

        try
        {
            var source = area.Memory.Span.Slice(start, size);
            if (item.IsBit)
            {
                destination[0] = (byte)((source[0] >> item.Bit) & 1);
            }
            else
            {
                source.CopyTo(destination);
            }
        }
        finally
        {
            area.Gate.Release();
        }

        length = size;
        return S7ReturnCode.Success;
    }

    private int WriteVar(ReadOnlySpan<byte> parameters, ReadOnlySpan<byte> data, in S7Header header, Span<byte> response)
    {
        Span<S7ItemSpec> items = stackalloc S7ItemSpec[S7JobReader.MaxItems];
        int count = S7JobReader.ReadItems(parameters, items);
        var values = new S7DataItemReader(data);
        int position = S7Header.AckLength + 2;
        for (int i = 0; i < count; i++)
        {
            if (!values.TryRead(out _, out byte transport, out var value))
            {
                S7ProtocolException.ThrowMalformed($"Write Var has {count} items but fewer data items");
            }

            var item = items[i];
            var code = WriteItem(item, transport, value);
            response[position++] = (byte)code;
            if (_server.HasAccessSubscribers(write: true))
            {
                _server.RaiseAccess(true, new S7ServerAccessEventArgs(Remote, item.Area, item.DbNumber, item.Offset, value.Length, code));
            }
        }

        S7Header.Write(response, S7MessageType.AckData, header.PduReference, 2, count);
        response[S7Header.AckLength] = (byte)S7Function.WriteVar;
        response[S7Header.AckLength + 1] = (byte)count;
        return position;
    }

    private S7ReturnCode WriteItem(in S7ItemSpec item, byte transport, ReadOnlySpan<byte> value)
    {
        var resolved = ResolveItem(item, out var area, out int start, out int size);
        if (resolved != S7ReturnCode.Success)
        {
            return resolved;
        }

        if (value.Length != size || (item.IsBit && transport != S7TransportSize.DataBit))
        {
            return S7ReturnCode.DataTypeInconsistent;
        }

        if (_server.Options.WriteHandler is { } handler)
        {
            var decision = handler.OnWrite(new S7WriteRequest(Remote, item.Area, item.DbNumber, start, item.IsBit ? item.Bit : -1, value));
            if (!decision.ApplyToArea)
            {
                return decision.ReturnCode;
            }
        }

        if (!area.Gate.Wait(_server.Options.AreaLockTimeout))
        {
            return S7ReturnCode.HardwareFault;
        }

        try
        {
            var target = area.Memory.Span.Slice(start, size);
            if (item.IsBit)
            {
                int mask = 1 << item.Bit;
                target[0] = (byte)((value[0] & 1) != 0 ? target[0] | mask : target[0] & ~mask);
            }
            else
            {
                value.CopyTo(target);
            }
        }
        finally
        {
            area.Gate.Release();
        }

        return S7ReturnCode.Success;
    }

    /// <summary>Finds the item's area and byte range (element-addressed areas count 2 bytes per element), or why not.</summary>
    private S7ReturnCode ResolveItem(in S7ItemSpec item, out S7ServerArea area, out int start, out int size)
    {
        (start, size) = (0, 0);
        if (item.Count < 0)
        {
            area = null!;
            return S7ReturnCode.DataTypeNotSupported;
        }

        if (!_server.TryGetArea(item.Area, item.DbNumber, out area))
        {
            return S7ReturnCode.ObjectDoesNotExist;
        }

        start = item.Area.IsElementAddressed() ? item.Offset * 2 : item.Offset;
        size = item.IsBit ? 1 : item.DataLength;
        return item.Count == 0 || start + size > area.Memory.Length ? S7ReturnCode.AddressOutOfRange : S7ReturnCode.Success;
    }

    private static int WriteError(Span<byte> response, in S7Header header, byte errorClass, byte errorCode)
    {
        S7Header.Write(response, S7MessageType.AckData, header.PduReference, 0, 0, errorClass, errorCode);
        return S7Header.AckLength;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(int length, CancellationToken cancellationToken)
    {
        int sent = 0;
        while (sent < length)
        {
            sent += await _socket.SendAsync(_response.AsMemory(sent, length - sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Evict()
    {
        Volatile.Write(ref _evicted, 1);
        Abort();
    }

    /// <summary>Closes the socket so the connection loop ends (used by Stop).</summary>
    public void Abort()
    {
        try
        {
            _socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
        }

        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
