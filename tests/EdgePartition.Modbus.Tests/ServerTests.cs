using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Server;

namespace EdgePartition.Modbus.Tests;

/// <summary>Our server with our client, the write hook, and the server's limits.</summary>
public sealed class ServerTests
{
    private static ModbusServerOptions Loopback(IModbusWriteHandler? handler = null) =>
        new() { Port = 0, WriteHandler = handler, IdleTimeout = TimeSpan.FromSeconds(30) };

    private static ModbusTcpClient ClientFor(ModbusTcpServer server, byte unitId = 1) =>
        new(new ModbusClientOptions { Host = "127.0.0.1", Port = server.Port, UnitId = unitId, RequestTimeout = TimeSpan.FromSeconds(5) });

    [Fact]
    public async Task ServesEveryFunctionCode()
    {
        await using var server = new ModbusTcpServer(Loopback());
        server.Start();
        server.Store.WriteRegisters(ModbusTable.InputRegisters, 65530, [1, 2, 3, 4, 5, 6]);
        server.Store.SetBit(ModbusTable.DiscreteInputs, 9, true);
        await using var client = ClientFor(server);

        await client.WriteSingleRegisterAsync(1, 11).WithTimeout();
        await client.WriteMultipleRegistersAsync(2, new ushort[] { 12, 13 }).WithTimeout();
        await client.WriteSingleCoilAsync(100, true).WithTimeout();
        await client.WriteMultipleCoilsAsync(101, new[] { false, true, true }).WithTimeout();
        var read = new ushort[3];
        await client.ReadWriteMultipleRegistersAsync(1, read, 0, new ushort[] { 10 }).WithTimeout();
        Assert.Equal([11, 12, 13], read);

        var holding = new ushort[4];
        await client.ReadHoldingRegistersAsync(0, holding).WithTimeout();
        Assert.Equal([10, 11, 12, 13], holding);
        var input = new ushort[6];
        await client.ReadInputRegistersAsync(65530, input).WithTimeout();
        Assert.Equal([1, 2, 3, 4, 5, 6], input);
        var coils = new bool[4];
        await client.ReadCoilsAsync(100, coils).WithTimeout();
        Assert.Equal([true, false, true, true], coils);
        var inputs = new bool[12];
        await client.ReadDiscreteInputsAsync(0, inputs).WithTimeout();
        Assert.True(inputs[9]);
        Assert.Equal(1, inputs.Count(b => b));
        Assert.Equal(9, server.Counters.Requests);
    }

    [Fact]
    public async Task AnswersLargestRequestsAtEveryLimit()
    {
        await using var server = new ModbusTcpServer(Loopback());
        server.Start();
        await using var client = ClientFor(server);
        var registers = new ushort[ModbusLimits.MaxReadRegisters * 3];
        for (var i = 0; i < registers.Length; i++)
        {
            registers[i] = (ushort)(i * 7);
        }

        await client.WriteMultipleRegistersAsync((ushort)(65536 - registers.Length), registers).WithTimeout();
        var back = new ushort[registers.Length];
        await client.ReadHoldingRegistersAsync((ushort)(65536 - registers.Length), back).WithTimeout();
        Assert.Equal(registers, back);

        var bits = new bool[ModbusLimits.MaxReadBits * 2];
        for (var i = 0; i < bits.Length; i += 3)
        {
            bits[i] = true;
        }

        await client.WriteMultipleCoilsAsync(0, bits).WithTimeout();
        var bitsBack = new bool[bits.Length];
        await client.ReadCoilsAsync(0, bitsBack).WithTimeout();
        Assert.Equal(bits, bitsBack);
    }

    [Fact]
    public async Task WriteHandlerDecidesPerWrite()
    {
        var handler = new RecordingHandler();
        await using var server = new ModbusTcpServer(Loopback(handler));
        server.Start();
        await using var client = ClientFor(server);

        await client.WriteSingleRegisterAsync(10, 1).WithTimeout();              // Apply
        await client.WriteMultipleRegistersAsync(20, new ushort[] { 5, 6 }).WithTimeout(); // Accepted: not stored
        var refused = await Assert.ThrowsAsync<ModbusProtocolException>(() => client.WriteSingleRegisterAsync(30, 9).AsTask()).WithTimeout();
        var refusedCoil = await Assert.ThrowsAsync<ModbusProtocolException>(() => client.WriteSingleCoilAsync(30, true).AsTask()).WithTimeout();
        var failed = await Assert.ThrowsAsync<ModbusProtocolException>(() => client.WriteSingleRegisterAsync(40, 1).AsTask()).WithTimeout();
        Assert.Equal(ModbusExceptionCode.ServerDeviceFailure, failed.ExceptionCode);

        Assert.Equal(1, server.Store.GetRegister(ModbusTable.HoldingRegisters, 10));
        Assert.Equal(0, server.Store.GetRegister(ModbusTable.HoldingRegisters, 20));
        Assert.Equal(0, server.Store.GetRegister(ModbusTable.HoldingRegisters, 30));
        Assert.False(server.Store.GetBit(ModbusTable.Coils, 30));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, refused.ExceptionCode);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, refusedCoil.ExceptionCode);
        Assert.Equal(["WriteSingleRegister HoldingRegisters 10 [1]", "WriteMultipleRegisters HoldingRegisters 20 [5,6]",
            "WriteSingleRegister HoldingRegisters 30 [9]", "WriteSingleCoil Coils 30 [True]", "WriteSingleRegister HoldingRegisters 40 [1]"], handler.Seen);
    }

    [Fact]
    public async Task ReadOnlyHandlerRefusesEveryWrite()
    {
        await using var server = new ModbusTcpServer(Loopback(ModbusWriteHandlers.ReadOnly));
        server.Start();
        await using var client = ClientFor(server);
        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => client.WriteMultipleRegistersAsync(0, new ushort[] { 1 }).AsTask()).WithTimeout();
        Assert.Equal(ModbusExceptionCode.IllegalFunction, error.ExceptionCode);
        var values = new ushort[1];
        await client.ReadHoldingRegistersAsync(0, values).WithTimeout();
        Assert.Equal(0, values[0]);
    }

    [Fact]
    public async Task EchoesTheUnitIdAndRefusesUnitsItDoesNotServe()
    {
        await using var server = new ModbusTcpServer(Loopback() with { UnitIds = new HashSet<byte> { 0, 7 } });
        server.Start();
        await using (var unit7 = ClientFor(server, 7))
        {
            await unit7.ReadHoldingRegistersAsync(0, new ushort[1]).WithTimeout();
        }

        await using var unit8 = ClientFor(server, 8);
        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => unit8.ReadHoldingRegistersAsync(0, new ushort[1]).AsTask()).WithTimeout();
        Assert.Equal(ModbusExceptionCode.GatewayPathUnavailable, error.ExceptionCode);
    }

    [Fact]
    public async Task RefusesClientsBeyondMaxClients()
    {
        await using var server = new ModbusTcpServer(Loopback() with { MaxClients = 2 });
        server.Start();
        await using var first = ClientFor(server);
        await using var second = ClientFor(server);
        await first.ReadHoldingRegistersAsync(0, new ushort[1]).WithTimeout();
        await second.ReadHoldingRegistersAsync(0, new ushort[1]).WithTimeout();
        using var third = await RawModbusSocket.ConnectAsync(server.Port);
        Assert.True(await third.WaitForCloseAsync());
        Assert.Equal(1, server.Counters.ConnectionsRefused);
        await first.ReadHoldingRegistersAsync(0, new ushort[1]).WithTimeout();
    }

    [Fact]
    public async Task StoreUpdatesSeveralValuesAtomically()
    {
        await using var server = new ModbusTcpServer(Loopback());
        server.Start();
        server.Store.Update(41, static (start, tables) =>
        {
            tables.HoldingRegisters[start] = 1;
            tables.HoldingRegisters[start + 1] = 2;
            tables.Coils[start] = 1;
        });
        await using var client = ClientFor(server);
        var values = new ushort[2];
        await client.ReadHoldingRegistersAsync(41, values).WithTimeout();
        var coil = new bool[1];
        await client.ReadCoilsAsync(41, coil).WithTimeout();
        Assert.Equal([1, 2], values);
        Assert.True(coil[0]);
    }

    [Fact]
    public async Task StopDisconnectsClients()
    {
        var server = new ModbusTcpServer(Loopback());
        server.Start();
        await using var client = ClientFor(server);
        await client.ReadHoldingRegistersAsync(0, new ushort[1]).WithTimeout();
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, next) =>
        {
            if (next.Current == ConnectionState.Disconnected)
            {
                disconnected.TrySetResult();
            }
        };

        await server.DisposeAsync().AsTask().WithTimeout();
        await disconnected.Task.WithTimeout();
        Assert.Equal(0, server.ClientCount);
    }

    private sealed class RecordingHandler : IModbusWriteHandler
    {
        public List<string> Seen { get; } = [];

        public ModbusWriteDecision OnWrite(in ModbusWriteRequest request)
        {
            var values = request.Table == ModbusTable.Coils ? string.Join(',', request.Bits.ToArray()) : string.Join(',', request.Registers.ToArray());
            lock (Seen)
            {
                Seen.Add($"{request.Function} {request.Table} {request.Start} [{values}]");
            }

            return request.Start switch
            {
                10 => ModbusWriteDecision.Apply,
                40 => throw new InvalidOperationException("handler bug"),
                20 => ModbusWriteDecision.Accepted,
                _ => ModbusWriteDecision.Reject(ModbusExceptionCode.IllegalDataAddress),
            };
        }
    }
}
