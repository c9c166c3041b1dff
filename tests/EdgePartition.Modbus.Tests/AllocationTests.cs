using System.Net;
using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Planning;
using EdgePartition.Modbus.Server;
using static EdgePartition.Testing.Peers.PymodbusKnownData;

namespace EdgePartition.Modbus.Tests;

/// <summary>Allocation is counted process-wide, so these tests run alone.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>
/// The collector polls every few milliseconds forever, so a steady-state request must allocate nothing. The server is
/// pymodbus in its own process: only the client and the runtime's socket machinery count here.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests(PymodbusFixture fixture) : IClassFixture<PymodbusFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task PlanReadsAllocateNothingPerRequest(int maxInFlight)
    {
        await using var client = NewClient(maxInFlight);
        var plan = ModbusReadPlanner.Plan([new(ModbusTable.HoldingRegisters, 0, 100), new(ModbusTable.HoldingRegisters, 500, 100),
            new(ModbusTable.Coils, 0, 64), new(ModbusTable.InputRegisters, 0, 50), new(ModbusTable.HoldingRegisters, 300, 10)], new ModbusReadPlannerOptions());
        var buffer = new ushort[plan.BufferLength];
        var results = new ModbusExceptionCode[plan.Requests.Length];
        // Like the collector's stopping token: every request registers with it and unregisters again.
        using var stopping = new CancellationTokenSource();

        var perPoll = await AllocationMeter.BytesPerCallAsync(() => client.ReadAsync(plan, buffer, results, stopping.Token));

        Assert.True(perPoll / plan.Requests.Length < AllocationMeter.NoObjectBound(typeof(ModbusTcpClient).Assembly),
            $"{perPoll / plan.Requests.Length:0.0} bytes allocated per request ({plan.Requests.Length} requests per poll, {maxInFlight} in flight)");
        Assert.All(results, r => Assert.Equal(ModbusExceptionCode.None, r));
        Assert.Equal(HoldingRegister(307), buffer[plan.ItemOffset(4) + 7]);
        Assert.Equal(0, client.Counters.Timeouts);
    }

    [Fact]
    public async Task SingleReadAllocatesNothing()
    {
        await using var client = NewClient(1);
        var values = new ushort[10];

        var perRequest = await AllocationMeter.BytesPerCallAsync(() => client.ReadHoldingRegistersAsync(5, values));

        Assert.True(perRequest < AllocationMeter.NoObjectBound(typeof(ModbusTcpClient).Assembly), $"{perRequest:0.0} bytes allocated per request");
        Assert.Equal(HoldingRegister(14), values[9]);
    }

    [Fact]
    public async Task PlanReadWithExceptionRepliesAllocatesOnlyTheExceptions()
    {
        // An exception reply is an exception object (thrown and caught inside the client): not free, but bounded.
        await using var client = NewClient(4);
        var plan = ModbusReadPlanner.Plan([new(ModbusTable.HoldingRegisters, 0, 10), new(ModbusTable.HoldingRegisters, Size + 10, 1)],
            new ModbusReadPlannerOptions());
        var buffer = new ushort[plan.BufferLength];
        var results = new ModbusExceptionCode[plan.Requests.Length];

        var perPoll = await AllocationMeter.BytesPerCallAsync(() => client.ReadAsync(plan, buffer, results), calls: 300, warmUp: 50);

        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, results[1]);
        Assert.True(perPoll < 4096, $"{perPoll:0} bytes allocated per poll with one exception reply");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task PlanReadsFromOurOwnServerAllocateNothingOnEitherSide(int maxInFlight)
    {
        // Client and server in this process: both sides' per-request paths are counted.
        await using var server = new ModbusTcpServer(new ModbusServerOptions { Address = IPAddress.Loopback, Port = 0 });
        server.Start();
        server.Store.SetRegister(ModbusTable.HoldingRegisters, 1010, 4321);
        await using var client = new ModbusTcpClient(new ModbusClientOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            MaxInFlight = maxInFlight,
            RequestTimeout = TimeSpan.FromSeconds(10),
        });
        var items = new ModbusReadItem[6];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new ModbusReadItem(i % 2 == 0 ? ModbusTable.HoldingRegisters : ModbusTable.Coils, (ushort)(1000 + (i * 234)), 20);
        }

        var plan = ModbusReadPlanner.Plan(items, new ModbusReadPlannerOptions { MaxRegisterGap = 0, MaxBitGap = 0 });
        var buffer = new ushort[plan.BufferLength];

        var perPoll = await AllocationMeter.BytesPerCallAsync(() => client.ReadAsync(plan, buffer));

        Assert.True(perPoll / plan.Requests.Length < AllocationMeter.NoObjectBound(typeof(ModbusTcpClient).Assembly, 2),
            $"{perPoll / plan.Requests.Length:0.0} bytes allocated per request, client and server together ({maxInFlight} in flight)");
        Assert.Equal(4321, plan.ItemValues(0, buffer)[10]);
    }

    private ModbusTcpClient NewClient(int maxInFlight) =>
        new(new ModbusClientOptions { Host = "127.0.0.1", Port = fixture.Server.Port, MaxInFlight = maxInFlight, RequestTimeout = TimeSpan.FromSeconds(10) });
}
