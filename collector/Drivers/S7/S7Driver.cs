using System.Buffers;
using System.Net.Sockets;
using EdgePartition.Collector.Layout;
using EdgePartition.Ipc;
using EdgePartition.Protocols;
using EdgePartition.S7;
using EdgePartition.S7.Client;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// An S7 PLC over one <see cref="S7Client"/> connection. Each poll group is planned once per connection (the plan
/// depends on the negotiated PDU) so a group costs as few round trips as the PDU allows; reads go into a reused
/// buffer and are decoded straight into the segment's staging area.
/// </summary>
internal sealed class S7Driver : PolledDeviceDriver<S7TagCodec, S7GroupReader>, IDeviceDriver
{
    private readonly S7Client _client;

    public S7Driver(DeviceLayout layout)
        : base(layout, layout.Device.S7.Host, layout.Device.S7.Port, tag => new S7TagCodec(tag), codecs => new S7GroupReader(codecs))
    {
        var connection = layout.Device.S7;
        _client = new S7Client(new S7ClientOptions
        {
            Host = connection.Host,
            Port = connection.Port,
            Rack = connection.Rack,
            Slot = connection.Slot,
            ConnectionType = connection.ConnectionType,
            LocalTsap = connection.EffectiveLocalTsap,
            RemoteTsap = connection.EffectiveRemoteTsap,
            RequestedPduSize = Math.Clamp(connection.PduSize, 240, 960),
            ConnectTimeout = connection.Timeout,
            JobTimeout = connection.Timeout,

            // The worker owns reconnecting (with back-off), so a dead PLC is not hammered by every job.
            AutoReconnect = false,
        });
    }

    public long BytesIn => _client.Counters.BytesReceived;

    public long BytesOut => _client.Counters.BytesSent;

    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (LinkFailure.IsLinkDown(error))
        {
            throw new DeviceLinkException($"connect to {Endpoint} failed: {error.Message}", error) { Quality = IpcQuality.BadNotConnected };
        }

        foreach (var group in Groups)
        {
            group.PlanFor(_client.PduSize);
        }
    }

    public async ValueTask DisconnectAsync()
    {
        try
        {
            await _client.DisconnectAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is S7ProtocolException or IOException or SocketException or ObjectDisposedException)
        {
            // Dropping a broken connection cannot fail in a way that matters.
        }
    }

    private protected override ValueTask ReadAsync(S7GroupReader reader, CancellationToken cancellationToken) =>
        _client.ReadAsync(reader.Plan, reader.Buffer, reader.Statuses, cancellationToken);

    public async ValueTask<WriteOutcome> WriteAsync(WriteCommand command, CancellationToken cancellationToken)
    {
        var codec = Codecs[command.Tag.Index];
        try
        {
            if (command.Tag.IsByteBlock)
            {
                await _client.WriteAsync(codec.Area, codec.DbNumber, codec.ByteOffset + command.ByteOffset, command.Value, cancellationToken).ConfigureAwait(false);
                return WriteOutcome.Ok;
            }

            if (codec.Type == S7DataType.Bool)
            {
                return await WriteBitsAsync(codec, command, cancellationToken).ConfigureAwait(false);
            }

            var slotSize = SegmentValues.ElementSize(command.Tag.SegmentType);
            var first = command.Tag.SegmentType == IpcDataType.String ? 0 : command.FirstElement(slotSize);
            var count = command.Tag.SegmentType == IpcDataType.String ? 1 : command.Value.Length / slotSize;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, count * codec.ElementSize));
            try
            {
                var length = codec.Encode(command.Value.Span, buffer);
                await _client.WriteAsync(codec.Area, codec.DbNumber, codec.ByteOffset + (first * codec.ElementSize), buffer.AsMemory(0, length), cancellationToken)
                    .ConfigureAwait(false);
                return WriteOutcome.Ok;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (Exception error) when (LinkFailure.IsLinkDown(error))
        {
            throw new DeviceLinkException($"write to {Endpoint} failed: {error.Message}", error);
        }
        catch (S7ProtocolException error)
        {
            return WriteOutcome.Failed(QualityOf(error), error.Message);
        }
        catch (ArgumentException error)
        {
            return WriteOutcome.Failed(IpcQuality.BadOutOfRange, error.Message);
        }
        catch (OverflowException error)
        {
            return WriteOutcome.Failed(IpcQuality.BadOutOfRange, error.Message);
        }
    }

    public async ValueTask DisposeAsync() => await _client.DisposeAsync().ConfigureAwait(false);

    /// <summary>A BOOL writes only its bits (S7 bit access), never the neighbours in the same byte.</summary>
    private async ValueTask<WriteOutcome> WriteBitsAsync(S7TagCodec codec, WriteCommand command, CancellationToken cancellationToken)
    {
        var value = command.Value;
        var items = new S7WriteItem[value.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var (byteOffset, bit) = codec.BitAddress(command.ByteOffset + i);
            var address = new S7Address(codec.Area, codec.DbNumber, byteOffset, bit, S7AddressWidth.Bit);
            items[i] = new S7WriteItem(address, value.Span[i] != 0 ? TrueByte : FalseByte);
        }

        var statuses = new S7ReturnCode[items.Length];
        await _client.WriteAsync(items, statuses, cancellationToken).ConfigureAwait(false);
        foreach (var status in statuses)
        {
            if (status != S7ReturnCode.Success)
            {
                return WriteOutcome.Failed(QualityOf(status), $"the PLC refused the bit write: {status}");
            }
        }

        return WriteOutcome.Ok;
    }

    private static readonly ReadOnlyMemory<byte> TrueByte = new byte[] { 1 };
    private static readonly ReadOnlyMemory<byte> FalseByte = new byte[] { 0 };

    internal static uint QualityOf(S7ReturnCode code) => code switch
    {
        S7ReturnCode.AddressOutOfRange or S7ReturnCode.ObjectDoesNotExist => IpcQuality.BadOutOfRange,
        S7ReturnCode.AccessDenied => IpcQuality.BadNotWritable,
        S7ReturnCode.DataTypeNotSupported or S7ReturnCode.DataTypeInconsistent => IpcQuality.BadTypeMismatch,
        _ => IpcQuality.BadDeviceFailure,
    };

    private static uint QualityOf(S7ProtocolException error) => error switch
    {
        { Reason: ProtocolErrorReason.AccessDenied } => IpcQuality.BadNotWritable,
        { Reason: ProtocolErrorReason.RequestTooLarge } => IpcQuality.BadOutOfRange,
        { Reason: ProtocolErrorReason.InvalidRequest } => IpcQuality.BadTypeMismatch,
        { ItemReturnCode: { } code } => QualityOf(code),
        _ => IpcQuality.BadDeviceFailure,
    };
}
