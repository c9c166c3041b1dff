using System.Buffers;
using EdgePartition.Collector.Layout;
using EdgePartition.Ipc;
using EdgePartition.Modbus;
using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Data;
using EdgePartition.Protocols;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// A Modbus TCP device over one <see cref="ModbusTcpClient"/>. Poll groups are planned once at start (the plan
/// depends only on the configured request limits); exception replies fail their tags, not the connection.
/// </summary>
internal sealed class ModbusDriver : PolledDeviceDriver<ModbusTagCodec, ModbusGroupReader>, IDeviceDriver
{
    private readonly ModbusTcpClient _client;

    public ModbusDriver(DeviceLayout layout)
        : this(layout, ClientOptions(layout.Device.Modbus))
    {
    }

    private ModbusDriver(DeviceLayout layout, ModbusClientOptions options)
        : base(layout, options.Host, options.Port, tag => new ModbusTagCodec(tag), codecs => new ModbusGroupReader(codecs, options))
    {
        _client = new ModbusTcpClient(options);
    }

    public long BytesIn => _client.Counters.BytesReceived;

    public long BytesOut => _client.Counters.BytesSent;

    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ModbusProtocolException error)
        {
            throw new DeviceLinkException($"connect to {Endpoint} failed: {error.Message}", error) { Quality = IpcQuality.BadNotConnected };
        }
    }

    public ValueTask DisconnectAsync()
    {
        _client.Disconnect();
        return ValueTask.CompletedTask;
    }

    private protected override ValueTask ReadAsync(ModbusGroupReader reader, CancellationToken cancellationToken) =>
        _client.ReadAsync(reader.Plan, reader.Buffer, reader.Results, cancellationToken);

    public async ValueTask<WriteOutcome> WriteAsync(WriteCommand command, CancellationToken cancellationToken)
    {
        var codec = Codecs[command.Tag.Index];
        if (!codec.Table.IsWritable())
        {
            return WriteOutcome.Failed(IpcQuality.BadNotWritable, $"{codec.Table} cannot be written (read-only Modbus table)");
        }

        try
        {
            if (codec.Type == ModbusValueType.Bit)
            {
                var bits = new bool[command.Value.Length];
                for (var i = 0; i < bits.Length; i++)
                {
                    bits[i] = command.Value.Span[i] != 0;
                }

                var start = (ushort)(codec.Address + command.ByteOffset);
                if (bits.Length == 1)
                {
                    await _client.WriteSingleCoilAsync(start, bits[0], cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _client.WriteMultipleCoilsAsync(start, bits, cancellationToken).ConfigureAwait(false);
                }

                return WriteOutcome.Ok;
            }

            var slotSize = SegmentValues.ElementSize(command.Tag.SegmentType);
            var first = codec.Type == ModbusValueType.String ? 0 : command.FirstElement(slotSize);
            var registers = ArrayPool<ushort>.Shared.Rent(codec.Count);
            try
            {
                var count = codec.Encode(command.Value.Span, registers);
                var address = (ushort)(codec.Address + (first * codec.RegistersPerElement));
                await _client.WriteMultipleRegistersAsync(address, registers.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                return WriteOutcome.Ok;
            }
            finally
            {
                ArrayPool<ushort>.Shared.Return(registers);
            }
        }
        catch (ModbusProtocolException error) when (LinkFailure.IsLinkDown(error))
        {
            throw new DeviceLinkException($"write to {Endpoint} failed: {error.Message}", error);
        }
        catch (ModbusProtocolException error)
        {
            return WriteOutcome.Failed(QualityOf(error.ExceptionCode), error.Message);
        }
        catch (ArgumentException error)
        {
            return WriteOutcome.Failed(IpcQuality.BadOutOfRange, error.Message);
        }
    }

    public async ValueTask DisposeAsync() => await _client.DisposeAsync().ConfigureAwait(false);


    private static ModbusClientOptions ClientOptions(Config.ModbusConnectionConfig connection) => new()
    {
        Host = connection.Host,
        Port = connection.Port,
        UnitId = (byte)connection.UnitId,
        ConnectTimeout = connection.Timeout,
        RequestTimeout = connection.Timeout,
        MaxInFlight = Math.Clamp(connection.RequestsInFlight, 1, 16),
        MaxReadRegisters = Math.Clamp(connection.MaxRegistersPerRequest, 1, ModbusLimits.MaxReadRegisters),
        MaxReadBits = Math.Clamp(connection.MaxBitsPerRequest, 1, ModbusLimits.MaxReadBits),

        // The worker paces reconnects with its own back-off; the client must not refuse the attempts it allows.
        ReconnectMinDelay = TimeSpan.FromMilliseconds(1),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(1),
    };

    internal static uint QualityOf(ModbusExceptionCode code) => code switch
    {
        ModbusExceptionCode.IllegalDataAddress => IpcQuality.BadOutOfRange,
        ModbusExceptionCode.IllegalFunction => IpcQuality.BadNotWritable,
        ModbusExceptionCode.IllegalDataValue => IpcQuality.BadOutOfRange,
        _ => IpcQuality.BadDeviceFailure,
    };
}
