using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Data;
using EdgePartition.Modbus.Planning;
using EdgePartition.Testing.Peers;
using static EdgePartition.Testing.Peers.PymodbusKnownData;

namespace EdgePartition.Modbus.Tests;

/// <summary>Our client against Debian's pymodbus server: every function code, type, byte order, limit and exception.</summary>
public sealed class ClientAgainstPymodbusTests(PymodbusFixture fixture) : IClassFixture<PymodbusFixture>
{
    private ModbusTcpClient NewClient(int maxInFlight = 1) =>
        new(new ModbusClientOptions { Host = "127.0.0.1", Port = fixture.Server.Port, MaxInFlight = maxInFlight, RequestTimeout = TimeSpan.FromSeconds(5) });

    [Fact]
    public async Task ReadsHoldingRegisters()
    {
        await using var client = NewClient();
        var values = new ushort[10];
        await client.ReadHoldingRegistersAsync(5, values).WithTimeout();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(HoldingRegister(5 + i), values[i]);
        }

        Assert.Equal(ConnectionState.Connected, client.State);
        Assert.Equal(1, client.Counters.Responses);
    }

    [Fact]
    public async Task ReadsInputRegisters()
    {
        await using var client = NewClient();
        var values = new ushort[7];
        await client.ReadInputRegistersAsync(100, values).WithTimeout();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(InputRegister(100 + i), values[i]);
        }
    }

    [Fact]
    public async Task ReadsCoilsAndDiscreteInputs()
    {
        await using var client = NewClient();
        var coils = new bool[37];
        await client.ReadCoilsAsync(3, coils).WithTimeout();
        var inputs = new bool[21];
        await client.ReadDiscreteInputsAsync(10, inputs).WithTimeout();
        for (var i = 0; i < coils.Length; i++)
        {
            Assert.Equal(Coil(3 + i), coils[i]);
        }

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(DiscreteInput(10 + i), inputs[i]);
        }
    }

    [Fact]
    public async Task SplitsReadsAtTheProtocolLimits()
    {
        await using var client = NewClient();
        var registers = new ushort[300];
        await client.ReadHoldingRegistersAsync(0, registers).WithTimeout();
        Assert.Equal(3, client.Counters.Requests); // 125 + 125 + 50
        for (var i = 0; i < registers.Length; i++)
        {
            Assert.Equal(HoldingRegister(i), registers[i]);
        }

        var bits = new bool[Size];
        await client.ReadCoilsAsync(0, bits).WithTimeout();
        Assert.Equal(4, client.Counters.Requests); // 2000 bits in one
        Assert.True(bits[1998] == Coil(1998) && bits[1999] == Coil(1999));
    }

    [Fact]
    public async Task SplitsReadsAtALowerPerDeviceLimit()
    {
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = fixture.Server.Port, MaxReadRegisters = 10 });
        var registers = new ushort[35];
        await client.ReadHoldingRegistersAsync(100, registers).WithTimeout();
        Assert.Equal(4, client.Counters.Requests);
        Assert.Equal(HoldingRegister(134), registers[34]);
    }

    [Theory]
    [InlineData(ModbusByteOrder.ABCD)]
    [InlineData(ModbusByteOrder.CDAB)]
    [InlineData(ModbusByteOrder.BADC)]
    [InlineData(ModbusByteOrder.DCBA)]
    public async Task DecodesEveryTypeInEveryByteOrder(ModbusByteOrder order)
    {
        await using var client = NewClient();
        var block = new ushort[TypedStride];
        await client.ReadHoldingRegistersAsync((ushort)TypedBlock((int)order), block).WithTimeout();
        ReadOnlySpan<ushort> r = block;

        Assert.Equal(Float32Value, ModbusRegisterCodec.ReadFloat32(r[Float32Offset..], order));
        Assert.Equal(Int32Value, ModbusRegisterCodec.ReadInt32(r[Int32Offset..], order));
        Assert.Equal(UInt32Value, ModbusRegisterCodec.ReadUInt32(r[UInt32Offset..], order));
        Assert.Equal(Float64Value, ModbusRegisterCodec.ReadFloat64(r[Float64Offset..], order));
        Assert.Equal(Int64Value, ModbusRegisterCodec.ReadInt64(r[Int64Offset..], order));
        Assert.Equal(UInt64Value, ModbusRegisterCodec.ReadUInt64(r[UInt64Offset..], order));
        Assert.Equal(Int16Value, ModbusRegisterCodec.ReadInt16(r[Int16Offset..], order));
        Assert.Equal(UInt16Value, ModbusRegisterCodec.ReadUInt16(r[UInt16Offset..], order));
        Assert.Equal(StringValue, ModbusRegisterCodec.ReadString(r.Slice(StringOffset, (StringValue.Length + 1) / 2), order));
        Assert.Equal(Float32Value * 0.5 + 10, ModbusRegisterCodec.ReadNumber(ModbusValueType.Float32, r[Float32Offset..], order, new ModbusScaling(0.5, 10)));
    }

    [Fact]
    public async Task ReadingAMissingAddressGivesIllegalDataAddress()
    {
        await using var client = NewClient();
        var error = await Assert.ThrowsAsync<ModbusProtocolException>(() => client.ReadHoldingRegistersAsync(Size - 2, new ushort[5]).AsTask()).WithTimeout();
        Assert.Equal(ProtocolErrorReason.PeerRejected, error.Reason);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, error.ExceptionCode);
        Assert.Equal(ModbusFunction.ReadHoldingRegisters, error.Function);
        Assert.Contains("illegal data address", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
        Assert.Equal(1, client.Counters.ExceptionResponses);

        // An exception reply leaves the connection usable.
        var values = new ushort[1];
        await client.ReadHoldingRegistersAsync(7, values).WithTimeout();
        Assert.Equal(7, values[0]);
        Assert.Equal(1, client.Counters.Connects);
    }

    [Fact]
    public async Task PlanReadsRecordExceptionRepliesPerRequest()
    {
        await using var client = NewClient();
        var plan = ModbusReadPlanner.Plan([
            new ModbusReadItem(ModbusTable.HoldingRegisters, 10, 2),
            new ModbusReadItem(ModbusTable.HoldingRegisters, 1999, 4), // past the end of pymodbus's table
            new ModbusReadItem(ModbusTable.Coils, 0, 9),
        ], new ModbusReadPlannerOptions { MaxRegisterGap = 0 });
        var buffer = new ushort[plan.BufferLength];
        var results = new ModbusExceptionCode[plan.Requests.Length];
        await client.ReadAsync(plan, buffer, results).WithTimeout();

        Assert.Equal(ModbusExceptionCode.None, plan.ItemStatus(0, results));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, plan.ItemStatus(1, results));
        Assert.Equal(ModbusExceptionCode.None, plan.ItemStatus(2, results));
        Assert.Equal([10, 11], plan.ItemValues(0, buffer).ToArray());
        Assert.Equal([1, 0, 0, 1, 0, 0, 1, 0, 0], plan.ItemValues(2, buffer).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task PlanReadsWithSeveralTransactionsInFlight(int inFlight)
    {
        await using var client = NewClient(inFlight);
        var items = new ModbusReadItem[12];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new ModbusReadItem(ModbusTable.HoldingRegisters, (ushort)(i * 80), 20);
        }

        var plan = ModbusReadPlanner.Plan(items, new ModbusReadPlannerOptions { MaxRegisterGap = 0 });
        Assert.Equal(12, plan.Requests.Length);
        var buffer = new ushort[plan.BufferLength];
        for (var round = 0; round < 5; round++)
        {
            Array.Clear(buffer);
            await client.ReadAsync(plan, buffer).WithTimeout();
            for (var i = 0; i < items.Length; i++)
            {
                var values = plan.ItemValues(i, buffer);
                Assert.Equal(HoldingRegister(i * 80), values[0]);
                Assert.Equal(HoldingRegister(i * 80 + 19), values[19]);
            }
        }

        Assert.Equal(60, client.Counters.Responses);
        Assert.Equal(0, client.Counters.RejectedFrames);
    }

    [Fact]
    public async Task ConcurrentCallersShareOnePipelinedConnection()
    {
        await using var client = NewClient(maxInFlight: 4);
        var tasks = new Task[16];
        for (var t = 0; t < tasks.Length; t++)
        {
            var start = (ushort)(t * 50);
            tasks[t] = Task.Run(async () =>
            {
                var values = new ushort[25];
                for (var round = 0; round < 5; round++)
                {
                    await client.ReadHoldingRegistersAsync(start, values);
                    Assert.Equal(HoldingRegister(start + 24), values[24]);
                }
            });
        }

        await Task.WhenAll(tasks).WithTimeout();
        Assert.Equal(1, client.Counters.Connects);
        Assert.Equal(80, client.Counters.Responses);
    }

    [Fact]
    public async Task ConcurrentPipelinedPlansShareTheWindowWithoutWaitingForEachOther()
    {
        // Each plan wants the whole window; holding a slot while waiting for another would deadlock the two.
        await using var client = NewClient(maxInFlight: 2);
        var tasks = new Task[3];
        for (var t = 0; t < tasks.Length; t++)
        {
            var first = (ushort)(t * 300);
            tasks[t] = Task.Run(async () =>
            {
                var items = new ModbusReadItem[5];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = new ModbusReadItem(ModbusTable.HoldingRegisters, (ushort)(first + (i * 50)), 10);
                }

                var plan = ModbusReadPlanner.Plan(items, new ModbusReadPlannerOptions { MaxRegisterGap = 0 });
                var buffer = new ushort[plan.BufferLength];
                for (var round = 0; round < 20; round++)
                {
                    Array.Clear(buffer);
                    await client.ReadAsync(plan, buffer);
                    for (var i = 0; i < items.Length; i++)
                    {
                        Assert.Equal(HoldingRegister(first + (i * 50) + 9), plan.ItemValues(i, buffer)[9]);
                    }
                }
            });
        }

        await Task.WhenAll(tasks).WithTimeout();
        Assert.Equal(1, client.Counters.Connects);
        Assert.Equal(300, client.Counters.Responses);
    }
}

/// <summary>Writes change pymodbus's data, so each test gets its own server.</summary>
public sealed class ClientWritesAgainstPymodbusTests : IAsyncLifetime
{
    private PymodbusServer _server = null!;
    private ModbusTcpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await PymodbusServer.StartAsync();
        _client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = _server.Port, RequestTimeout = TimeSpan.FromSeconds(5) });
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task WritesSingleCoilAndRegister()
    {
        await _client.WriteSingleCoilAsync(1, true).WithTimeout();
        await _client.WriteSingleCoilAsync(0, false).WithTimeout();
        await _client.WriteSingleRegisterAsync(20, 0xBEEF).WithTimeout();
        var coils = new bool[2];
        await _client.ReadCoilsAsync(0, coils).WithTimeout();
        var register = new ushort[1];
        await _client.ReadHoldingRegistersAsync(20, register).WithTimeout();
        Assert.Equal([false, true], coils);
        Assert.Equal(0xBEEF, register[0]);
    }

    [Fact]
    public async Task WritesMultipleCoilsAndRegistersSplitAtTheWriteLimits()
    {
        var bits = new bool[1990];
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = i % 7 == 0;
        }

        await _client.WriteMultipleCoilsAsync(5, bits).WithTimeout();
        Assert.Equal(2, _client.Counters.Requests); // 1968 + 22

        var registers = new ushort[250];
        for (var i = 0; i < registers.Length; i++)
        {
            registers[i] = (ushort)(60000 - i);
        }

        await _client.WriteMultipleRegistersAsync(300, registers).WithTimeout();
        Assert.Equal(5, _client.Counters.Requests); // 123 + 123 + 4

        var readBits = new bool[bits.Length];
        await _client.ReadCoilsAsync(5, readBits).WithTimeout();
        var readRegisters = new ushort[registers.Length];
        await _client.ReadHoldingRegistersAsync(300, readRegisters).WithTimeout();
        Assert.Equal(bits, readBits);
        Assert.Equal(registers, readRegisters);
    }

    [Fact]
    public async Task ReadWriteMultipleRegistersWritesBeforeReading()
    {
        var read = new ushort[4];
        await _client.ReadWriteMultipleRegistersAsync(40, read, 41, new ushort[] { 1111, 2222 }).WithTimeout();
        Assert.Equal([40, 1111, 2222, 43], read);
    }

    [Fact]
    public async Task WritesTypedValuesThatReadBackInEveryOrder()
    {
        var registers = new ushort[4];
        foreach (var order in Enum.GetValues<ModbusByteOrder>())
        {
            ModbusRegisterCodec.WriteNumber(ModbusValueType.Float64, 98.25, registers, order, new ModbusScaling(0.25, 0));
            await _client.WriteMultipleRegistersAsync(500, registers).WithTimeout();
            var back = new ushort[4];
            await _client.ReadHoldingRegistersAsync(500, back).WithTimeout();
            Assert.Equal(98.25, ModbusRegisterCodec.ReadNumber(ModbusValueType.Float64, back, order, new ModbusScaling(0.25, 0)));
        }
    }

    [Fact]
    public async Task ReconnectsAfterPeerRestart()
    {
        var values = new ushort[1];
        await _client.ReadHoldingRegistersAsync(3, values).WithTimeout();
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _client.StateChanged += (_, next) =>
        {
            if (next.Current == ConnectionState.Disconnected)
            {
                disconnected.TrySetResult();
            }
        };

        await _server.RestartAsync().WithTimeout();
        await disconnected.Task.WithTimeout();
        await _client.ReadHoldingRegistersAsync(4, values).WithTimeout();
        Assert.Equal(4, values[0]);
        Assert.Equal(2, _client.Counters.Connects);
    }
}
