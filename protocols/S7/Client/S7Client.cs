using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using EdgePartition.S7.Channel;
using EdgePartition.S7.Wire;

namespace EdgePartition.S7.Client;

/// <summary>
/// An S7comm client over ISO-on-TCP for one PLC. The logical connection outlives its channels: a timeout or a broken
/// connection faults the current channel (the error goes to the job that saw it) and, with
/// <see cref="S7ClientOptions.AutoReconnect"/>, the next job opens a new one. Jobs from several callers may run at
/// once up to the negotiated number of parallel jobs; replies are matched by PDU reference.
/// </summary>
public sealed class S7Client : IAsyncDisposable
{
    /// <summary>Request bytes per write job beyond items: header (10) and function + count (2).</summary>
    private const int WriteRequestOverhead = S7Header.JobLength + 2;

    private readonly S7ClientOptions _options;
    private readonly S7TrafficCounters _traffic = new();
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly S7ReadPlanner _singleRangePlanner = new() { GapBytes = -1 };
    private S7Channel? _channel;
    private int _state;
    private long _connects;
    private long _faults;
    private long _timeouts;
    private bool _disposed;

    public S7Client(S7ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public S7ClientOptions Options => _options;

    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>The PDU size negotiated on the current (or last) connection; 0 before the first connect.</summary>
    public int PduSize { get; private set; }

    /// <summary>The number of parallel jobs negotiated on the current (or last) connection.</summary>
    public int ParallelJobs { get; private set; }

    /// <summary>The error that faulted the last connection, if any.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Raised (from any thread) with the old and new state on every state change.</summary>
    public event EventHandler<ConnectionStateChangedEventArgs>? StateChanged;

    public S7ClientCounters Counters => new(
        Interlocked.Read(ref _traffic.BytesSent),
        Interlocked.Read(ref _traffic.BytesReceived),
        Interlocked.Read(ref _traffic.RoundTrips),
        Interlocked.Read(ref _connects),
        Interlocked.Read(ref _faults),
        Interlocked.Read(ref _timeouts),
        Interlocked.Read(ref _traffic.UnmatchedReplies));

    /// <summary>Connects (TCP, COTP, Setup Communication) unless already connected.</summary>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_channel is { IsFaulted: false })
            {
                return;
            }

            if (_channel is not null)
            {
                await _channel.DisposeAsync().ConfigureAwait(false);
                _channel = null;
            }

            SetState(ConnectionState.Connecting);
            var parameters = new S7ConnectionParameters(_options.Host, _options.Port, _options.EffectiveLocalTsap, _options.EffectiveRemoteTsap,
                _options.RequestedPduSize, _options.RequestedParallelJobs, _options.ConnectTimeout);
            try
            {
                var channel = await S7Channel.OpenAsync(parameters, _options.TimeProvider, _traffic, cancellationToken).ConfigureAwait(false);
                channel.Faulted = error => OnFaulted(channel, error);
                PduSize = channel.PduSize;
                ParallelJobs = channel.ParallelJobs;
                _channel = channel;
                Interlocked.Increment(ref _connects);
                SetState(ConnectionState.Connected);
            }
            catch (Exception error)
            {
                LastError = error;
                if (error is S7ProtocolException { Reason: ProtocolErrorReason.Timeout })
                {
                    Interlocked.Increment(ref _timeouts);
                }

                SetState(ConnectionState.Faulted);
                throw;
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Closes the connection; the next job reconnects when <see cref="S7ClientOptions.AutoReconnect"/> is on.</summary>
    public async ValueTask DisconnectAsync()
    {
        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_channel is { } channel)
            {
                _channel = null;
                channel.Faulted = null;
                await channel.DisposeAsync().ConfigureAwait(false);
            }

            SetState(ConnectionState.Disconnected);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Reads <c>destination.Length</c> bytes of an area from <paramref name="offset"/> (element number for C/T), in as many jobs as the PDU needs.</summary>
    public async ValueTask ReadAsync(S7Area area, int dbNumber, int offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        var plan = _singleRangePlanner.Plan([new S7ReadItem(area, dbNumber, offset, destination.Length)], channel.PduSize);
        await ReadAsync(plan, destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads bytes at an address (a bit address reads its byte).</summary>
    public ValueTask ReadAsync(S7Address address, Memory<byte> destination, CancellationToken cancellationToken = default) =>
        ReadAsync(address.Area, address.DbNumber, address.Offset, destination, cancellationToken);

    /// <summary>Reads a whole plan into <paramref name="buffer"/>; throws the typed error of the first range that failed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadAsync(S7ReadPlan plan, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var statuses = new S7ReturnCode[plan.Ranges.Length];
        await ReadAsync(plan, buffer, statuses, cancellationToken).ConfigureAwait(false);
        for (int r = 0; r < statuses.Length; r++)
        {
            if (statuses[r] != S7ReturnCode.Success)
            {
                var range = plan.Ranges[r];
                throw S7ProtocolException.FromReturnCode(statuses[r], DescribeRange(range.Area, range.DbNumber, range.Offset, range.Length));
            }
        }
    }

    /// <summary>
    /// Reads a plan into <paramref name="buffer"/> (at least <see cref="S7ReadPlan.BufferLength"/> bytes) and writes each
    /// range's item return code to <paramref name="rangeStatus"/> (one per <see cref="S7ReadPlan.Ranges"/>): a missing DB
    /// or an out-of-range address fails its range, not the poll. Jobs run in parallel up to the negotiated number.
    /// </summary>
    public ValueTask ReadAsync(S7ReadPlan plan, Memory<byte> buffer, Memory<S7ReturnCode> rangeStatus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, plan.BufferLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeStatus.Length, plan.Ranges.Length);
        rangeStatus.Span[..plan.Ranges.Length].Fill(S7ReturnCode.Success);
        if (plan.JobCount == 0)
        {
            return default;
        }

        // Connected (every poll but the first after a fault): straight into the one async method of a poll. Each
        // async method that suspends takes a pooled box on the caller's thread and gives it back on the receive
        // loop's, and the pool keeps only one per thread and core: the fewer per poll, the fewer fresh ones.
        var channel = Volatile.Read(ref _channel);
        return channel is { IsFaulted: false } && !_disposed
            ? ReadPipelinedAsync(channel, plan, buffer, rangeStatus, cancellationToken)
            : ConnectAndReadAsync(plan, buffer, rangeStatus, cancellationToken);
    }

    private async ValueTask ConnectAndReadAsync(S7ReadPlan plan, Memory<byte> buffer, Memory<S7ReturnCode> rangeStatus, CancellationToken cancellationToken)
    {
        var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        await ReadPipelinedAsync(channel, plan, buffer, rangeStatus, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes bytes at an address (element number for C/T), split into as many jobs as the PDU needs. A bit address writes one bit.</summary>
    public async ValueTask WriteAsync(S7Address address, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (address.IsBit)
        {
            await WriteAsync(new ReadOnlyMemory<S7WriteItem>([new S7WriteItem(address, data)]), Memory<S7ReturnCode>.Empty, cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        await WriteAsync(address.Area, address.DbNumber, address.Offset, data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes bytes to an area from <paramref name="offset"/> (element number for C/T).</summary>
    public async ValueTask WriteAsync(S7Area area, int dbNumber, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        bool elements = area.IsElementAddressed();
        if (elements && (data.Length & 1) != 0)
        {
            throw new ArgumentException("counters and timers are written in whole 2-byte elements", nameof(data));
        }

        var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        int maxChunk = MaxWriteChunk(channel.PduSize);
        int position = 0;
        while (position < data.Length)
        {
            int piece = Math.Min(maxChunk, data.Length - position);
            var item = new S7ItemSpec(area, dbNumber, elements ? offset + (position / 2) : offset + position, elements ? (piece + 1) / 2 : piece);
            var code = await WriteJobAsync(channel, item, data.Slice(position, piece), cancellationToken).ConfigureAwait(false);
            if (code != S7ReturnCode.Success)
            {
                throw S7ProtocolException.FromReturnCode(code, DescribeRange(area, dbNumber, item.Offset, piece));
            }

            position += piece;
            channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes several items, packed into as few jobs as the PDU allows (request 12 + Σ(12 + 4 + even length), reply 14 + n).
    /// Item results go to <paramref name="itemStatus"/> when given; otherwise the first failure is thrown.
    /// Items larger than one job are rejected: write them with <see cref="WriteAsync(S7Address, ReadOnlyMemory{byte}, CancellationToken)"/>.
    /// </summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<S7WriteItem> items, Memory<S7ReturnCode> itemStatus, CancellationToken cancellationToken = default)
    {
        if (!itemStatus.IsEmpty)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(itemStatus.Length, items.Length);
        }

        var channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        int pdu = channel.PduSize;
        int maxItems = Math.Min(255, (pdu - WriteRequestOverhead) / (S7ItemSpec.WireLength + 4 + 2));
        int start = 0;
        while (start < items.Length)
        {
            int request = WriteRequestOverhead;
            int end = start;
            while (end < items.Length && end - start < maxItems)
            {
                int length = DataLength(items.Span[end]);
                int cost = S7ItemSpec.WireLength + 4 + length + (length & 1);
                if (request + cost > pdu)
                {
                    break;
                }

                request += cost;
                end++;
            }

            if (end == start)
            {
                var too = items.Span[start];
                throw new S7ProtocolException(ProtocolErrorReason.RequestTooLarge,
                    $"Writing {too.Data.Length} bytes at {too.Address} does not fit one job at PDU {pdu}: write it alone with WriteAsync(address, data).");
            }

            await WriteManyJobAsync(channel, items[start..end], itemStatus.IsEmpty ? default : itemStatus[start..end], start, cancellationToken)
                .ConfigureAwait(false);
            start = end;
            channel = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one value of a type at an address (allocates; for tools and tests — poll with a plan).</summary>
    public async ValueTask<object> ReadValueAsync(S7Address address, S7DataType type, int stringLength = S7DataTypes.DefaultStringLength,
        CancellationToken cancellationToken = default)
    {
        var bytes = new byte[S7DataTypes.SizeOf(type, stringLength)];
        await ReadAsync(address, bytes, cancellationToken).ConfigureAwait(false);
        return S7ValueCodec.Decode(type, bytes, address.IsBit ? address.Bit : 0);
    }

    /// <summary>Writes one value of a type at an address (BOOL writes only its bit).</summary>
    public async ValueTask WriteValueAsync(S7Address address, S7DataType type, object value, int stringLength = S7DataTypes.DefaultStringLength,
        CancellationToken cancellationToken = default)
    {
        if (type == S7DataType.Bool)
        {
            var bit = address.IsBit ? address : address with { Width = S7AddressWidth.Bit };
            await WriteAsync(bit, new[] { Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture) ? (byte)1 : (byte)0 }, cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        var bytes = new byte[S7DataTypes.SizeOf(type, stringLength)];
        S7ValueCodec.Encode(type, value, bytes, 0, stringLength);
        if (type is S7DataType.String or S7DataType.WString)
        {
            // Write only header + used characters so the declared maximum the PLC holds is what we sent.
            int used = type == S7DataType.String ? 2 + bytes[1] : 4 + (2 * S7ValueCodec.GetUInt(bytes.AsSpan(2)));
            await WriteAsync(address, bytes.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
            return;
        }

        await WriteAsync(address, bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The largest data a single-item write job carries at this PDU (PDU − 28, even).</summary>
    public static int MaxWriteChunk(int pduSize) => (pduSize - WriteRequestOverhead - S7ItemSpec.WireLength - 4) & ~1;

    /// <summary>
    /// Keeps up to the negotiated number of parallel jobs (AmQ) of the plan in flight and takes the replies in job
    /// order (see <see cref="PipelinedRequests"/>).
    /// </summary>
    private ValueTask ReadPipelinedAsync(S7Channel channel, S7ReadPlan plan, Memory<byte> buffer,
        Memory<S7ReturnCode> rangeStatus, CancellationToken cancellationToken)
    {
        if (plan.PduSize > channel.PduSize)
        {
            throw new ArgumentException($"The plan was made for a {plan.PduSize}-byte PDU but the PLC granted {channel.PduSize}: plan again with the client's PduSize.", nameof(plan));
        }

        int window = Math.Min(plan.JobCount, channel.ParallelJobs);
        return PipelinedRequests.RunAsync<PlanReads, S7JobSlot, int>(new PlanReads(this, channel, plan, buffer, rangeStatus), window, cancellationToken);
    }

    /// <summary>The jobs of a read plan as one pipelined run: Read Var requests out, replies into the caller's buffer.</summary>
    private readonly struct PlanReads(S7Client client, S7Channel channel, S7ReadPlan plan, Memory<byte> buffer, Memory<S7ReturnCode> rangeStatus)
        : IPipelinedRequests<S7JobSlot, int>
    {
        public int Count => plan.JobCount;

        public ValueTask<S7JobSlot> RentAsync(CancellationToken cancellationToken) => channel.RentAsync(cancellationToken);

        public bool TryRent([NotNullWhen(true)] out S7JobSlot? slot) => channel.TryRent(out slot);

        public void Return(S7JobSlot slot) => channel.Return(slot);

        public int Encode(S7JobSlot slot, int index)
        {
            int firstChunk = plan.JobStarts[index];
            return S7JobWriter.WriteReadVar(slot.RequestPdu, slot.PduReference, plan.Chunks.AsSpan(firstChunk, plan.JobStarts[index + 1] - firstChunk));
        }

        public ValueTask SendAsync(S7JobSlot slot, int length, CancellationToken cancellationToken) =>
            channel.SendJobAsync(slot, length, client._options.JobTimeout, cancellationToken);

        public ValueTask<int> ReplyAsync(S7JobSlot slot) => slot.Completion;

        public void Complete(S7JobSlot slot, int index, int replyLength)
        {
            channel.OnJobCompleted();
            int firstChunk = plan.JobStarts[index];
            StoreReadReply(slot.Reply.AsSpan(0, replyLength), plan, firstChunk, plan.JobStarts[index + 1] - firstChunk, buffer.Span, rangeStatus.Span);
        }

        public bool TryAccept(Exception error, int index, bool replyFailed)
        {
            if (replyFailed)
            {
                channel.OnJobFailed(error);
                if (error is S7ProtocolException { Reason: ProtocolErrorReason.Timeout })
                {
                    Interlocked.Increment(ref client._timeouts);
                }
            }

            if (error is S7ProtocolException { Reason: ProtocolErrorReason.MalformedFrame or ProtocolErrorReason.UnexpectedReply })
            {
                channel.Abort(error); // the byte stream cannot be trusted for the jobs behind it
            }

            return false;
        }
    }

    private static void StoreReadReply(ReadOnlySpan<byte> reply, S7ReadPlan plan, int first, int count, Span<byte> buffer, Span<S7ReturnCode> rangeStatus)
    {
        var items = new S7DataItemReader(S7ReplyReader.ReadAckData(reply, S7Function.ReadVar, count));
        for (int i = first; i < first + count; i++)
        {
            if (!items.TryRead(out byte code, out _, out var value))
            {
                S7ProtocolException.Throw(ProtocolErrorReason.UnexpectedReply, "The read reply has fewer data items than requested.");
            }

            var chunk = plan.Chunks[i];
            if (code == (byte)S7ReturnCode.Success)
            {
                if (value.Length != chunk.DataLength)
                {
                    S7ProtocolException.Throw(ProtocolErrorReason.UnexpectedReply,
                        $"The PLC returned {value.Length} bytes for a {chunk.DataLength}-byte item.");
                }

                value.CopyTo(buffer[plan.ChunkBufferOffsets[i]..]);
            }
            else if (rangeStatus[plan.ChunkRanges[i]] == S7ReturnCode.Success)
            {
                rangeStatus[plan.ChunkRanges[i]] = (S7ReturnCode)code;
            }
        }
    }

    private async ValueTask<S7ReturnCode> WriteJobAsync(S7Channel channel, S7ItemSpec item, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var slot = await channel.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int length = S7JobWriter.WriteWriteVar(slot.RequestPdu, slot.PduReference, [item], data.Span, [0]);
            int replyLength = await ExecuteAsync(channel, slot, length, cancellationToken).ConfigureAwait(false);
            var codes = S7ReplyReader.ReadAckData(slot.Reply.AsSpan(0, replyLength), S7Function.WriteVar, 1);
            if (codes.Length < 1)
            {
                S7ProtocolException.Throw(ProtocolErrorReason.UnexpectedReply, "The write reply carries no return code.");
            }

            return (S7ReturnCode)codes[0];
        }
        catch (S7ProtocolException error) when (error.Reason is ProtocolErrorReason.MalformedFrame or ProtocolErrorReason.UnexpectedReply)
        {
            channel.Abort(error);
            throw;
        }
        finally
        {
            channel.Return(slot);
        }
    }

    private async ValueTask WriteManyJobAsync(S7Channel channel, ReadOnlyMemory<S7WriteItem> items, Memory<S7ReturnCode> itemStatus, int firstIndex,
        CancellationToken cancellationToken)
    {
        var slot = await channel.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int length = BuildWriteMany(slot, items.Span);
            int replyLength = await ExecuteAsync(channel, slot, length, cancellationToken).ConfigureAwait(false);
            var codes = S7ReplyReader.ReadAckData(slot.Reply.AsSpan(0, replyLength), S7Function.WriteVar, items.Length);
            if (codes.Length < items.Length)
            {
                S7ProtocolException.Throw(ProtocolErrorReason.UnexpectedReply, "The write reply carries fewer return codes than items.");
            }

            for (int i = 0; i < items.Length; i++)
            {
                var code = (S7ReturnCode)codes[i];
                if (!itemStatus.IsEmpty)
                {
                    itemStatus.Span[i] = code;
                }
                else if (code != S7ReturnCode.Success)
                {
                    var address = items.Span[i].Address;
                    throw S7ProtocolException.FromReturnCode(code, $"write #{firstIndex + i} at {address}");
                }
            }
        }
        catch (S7ProtocolException error) when (error.Reason is ProtocolErrorReason.MalformedFrame or ProtocolErrorReason.UnexpectedReply)
        {
            channel.Abort(error);
            throw;
        }
        finally
        {
            channel.Return(slot);
        }
    }

    private static int BuildWriteMany(Channel.S7JobSlot slot, ReadOnlySpan<S7WriteItem> items)
    {
        Span<S7ItemSpec> specs = items.Length <= 64 ? stackalloc S7ItemSpec[items.Length] : new S7ItemSpec[items.Length];
        Span<int> offsets = items.Length <= 64 ? stackalloc int[items.Length] : new int[items.Length];
        int total = 0;
        for (int i = 0; i < items.Length; i++)
        {
            total += DataLength(items[i]);
        }

        Span<byte> data = total <= 1024 ? stackalloc byte[total] : new byte[total];
        int position = 0;
        for (int i = 0; i < items.Length; i++)
        {
            var item = items[i];
            var address = item.Address;
            int length = DataLength(item);
            if (item.Data.IsEmpty || (address.Area.IsElementAddressed() && (length & 1) != 0))
            {
                throw new ArgumentException($"write #{i} at {address} has no data or is not whole 2-byte counter/timer elements", nameof(items));
            }

            specs[i] = address.IsBit
                ? new S7ItemSpec(address.Area, address.DbNumber, address.Offset, 1, address.Bit)
                : new S7ItemSpec(address.Area, address.DbNumber, address.Offset, address.Area.IsElementAddressed() ? (length + 1) / 2 : length);
            offsets[i] = position;
            if (address.IsBit)
            {
                data[position] = item.Data.Span[0] != 0 ? (byte)1 : (byte)0;
            }
            else
            {
                item.Data.Span.CopyTo(data[position..]);
            }

            position += length;
        }

        return S7JobWriter.WriteWriteVar(slot.RequestPdu, slot.PduReference, specs, data, offsets);
    }

    private static int DataLength(in S7WriteItem item) => item.Address.IsBit ? 1 : item.Data.Length;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ExecuteAsync(S7Channel channel, Channel.S7JobSlot slot, int length, CancellationToken cancellationToken)
    {
        try
        {
            return await channel.ExecuteAsync(slot, length, _options.JobTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (S7ProtocolException error) when (error.Reason == ProtocolErrorReason.Timeout)
        {
            Interlocked.Increment(ref _timeouts);
            throw;
        }
    }

    /// <summary>The current channel, reconnecting first when the last one faulted and auto-reconnect is on.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<S7Channel> GetChannelAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var channel = Volatile.Read(ref _channel);
        if (channel is { IsFaulted: false })
        {
            return channel;
        }

        if (channel is null && State == ConnectionState.Disconnected && !_options.AutoReconnect)
        {
            S7ProtocolException.Throw(ProtocolErrorReason.NotConnected, "The client is not connected: call ConnectAsync first.");
        }

        if (channel is not null && !_options.AutoReconnect)
        {
            throw new S7ProtocolException(ProtocolErrorReason.NotConnected, $"The connection is down: {channel.Fault?.Message}", 0, channel.Fault);
        }

        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return Volatile.Read(ref _channel) ?? throw new S7ProtocolException(ProtocolErrorReason.NotConnected, "The client was disconnected.");
    }

    private void OnFaulted(S7Channel channel, Exception error)
    {
        if (!ReferenceEquals(Volatile.Read(ref _channel), channel))
        {
            return; // a callback from a channel that is no longer current
        }

        LastError = error;
        Interlocked.Increment(ref _faults);
        SetState(ConnectionState.Faulted);
    }

    private void SetState(ConnectionState next)
    {
        var previous = (ConnectionState)Interlocked.Exchange(ref _state, (int)next);
        if (previous != next)
        {
            StateChanged?.Invoke(this, new ConnectionStateChangedEventArgs(previous, next));
        }
    }

    private static string DescribeRange(S7Area area, int dbNumber, int offset, int length) => area switch
    {
        S7Area.DB => $"DB{dbNumber} bytes {offset}..{offset + length - 1}",
        S7Area.C or S7Area.T => $"{area}{offset}..{area}{offset + (length / 2) - 1}",
        _ => $"{area} bytes {offset}..{offset + length - 1}",
    };

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await DisconnectAsync().ConfigureAwait(false);
        _disposed = true;
        _connectLock.Dispose();
    }
}
