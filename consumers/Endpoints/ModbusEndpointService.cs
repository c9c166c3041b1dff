using System.Buffers.Binary;
using System.Net;
using EdgePartition.Config;
using EdgePartition.Modbus;
using EdgePartition.Modbus.Server;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>
/// The partition's Modbus TCP server endpoint: holding and input registers 0.. = sync's merged image,
/// 1000 + 1000·i.. = device i's tags (PartitionAddressMap). Each block is refreshed in one store update per
/// snapshot. Read-only by default (IllegalFunction); with ReadOnly=false, holding-register writes to writable tags
/// go to the device's write queue and everything else gets IllegalDataAddress.
/// </summary>
public sealed class ModbusEndpointService : ServerEndpointService, IModbusWriteHandler
{
    private const string Name = "Modbus";

    private readonly Dictionary<int, ushort[]> _registers = [];
    private ModbusTcpServer? _server;

    public ModbusEndpointService(PartitionConfig config, ILogger<ModbusEndpointService> logger)
        : this(config, logger, portOverride: null)
    {
    }

    /// <summary>For tests: listen on <paramref name="portOverride"/> (0 = the OS picks) instead of the configured port.</summary>
    internal ModbusEndpointService(PartitionConfig config, ILogger logger, int? portOverride)
        : base(
            Name,
            config,
            config.Consumers.ModbusServer ?? throw new ArgumentException("the partition has no Modbus server endpoint", nameof(config)),
            EndpointProtocol.Modbus,
            logger,
            portOverride)
    {
    }

    private protected override IPEndPoint StartServer(IPAddress address, int port)
    {
        var server = new ModbusTcpServer(new ModbusServerOptions
        {
            Address = address,
            Port = port,
            WriteHandler = Endpoint.ReadOnly ? ModbusWriteHandlers.ReadOnly : this,
        });
        _server = server;
        foreach (var block in Map.Blocks)
        {
            _registers.Add(block.Number, new ushort[block.RegisterCount]);
        }

        server.Start();
        return server.EndPoint!;
    }

    private protected override Task StopServerAsync() => _server?.StopAsync() ?? Task.CompletedTask;

    private protected override void Publish(MappedBlock block, ReadOnlySpan<byte> image)
    {
        // Each block has its own register buffer, used only by its follower's thread.
        var registers = _registers[block.Number];
        for (var i = 0; i < registers.Length; i++)
        {
            registers[i] = BinaryPrimitives.ReadUInt16BigEndian(image[(2 * i)..]);
        }

        // One store update: a client never sees holding and input registers, or half a block, disagree.
        _server!.Store.Update((registers, block.Number), static (state, tables) =>
        {
            state.registers.CopyTo(tables.HoldingRegisters[state.Number..]);
            state.registers.CopyTo(tables.InputRegisters[state.Number..]);
        });
    }

    ModbusWriteDecision IModbusWriteHandler.OnWrite(in ModbusWriteRequest request)
    {
        var block = request.Table == ModbusTable.HoldingRegisters ? Map.FindBlock(request.Start) : null;
        if (block is null)
        {
            Router.Refuse(request.Client, null, request.Start, WriteRouting.NotWritable, $"{request.Table} {request.Start}: not a mapped register");
            return ModbusWriteDecision.Reject(ModbusExceptionCode.IllegalDataAddress);
        }

        Span<byte> data = stackalloc byte[2 * request.Registers.Length];
        for (var i = 0; i < request.Registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data[(2 * i)..], request.Registers[i]);
        }

        var routing = Router.Route(request.Client, block, 2 * (request.Start - block.Number), data);
        return routing switch
        {
            WriteRouting.Queued => ModbusWriteDecision.Accepted,
            WriteRouting.BadValue => ModbusWriteDecision.Reject(ModbusExceptionCode.IllegalDataValue),
            WriteRouting.QueueFull => ModbusWriteDecision.Reject(ModbusExceptionCode.ServerDeviceBusy),
            WriteRouting.QueueUnavailable => ModbusWriteDecision.Reject(ModbusExceptionCode.ServerDeviceFailure),
            _ => ModbusWriteDecision.Reject(ModbusExceptionCode.IllegalDataAddress),
        };
    }
}
