using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Planning;
using EdgePartition.Testing.Peers;

namespace EdgePartition.Modbus.Tests;

/// <summary>Allocation is counted process-wide, so these tests run alone.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>
/// A guard on the client's per-request allocation (the server is pymodbus, in its own process, so only the client and
/// the runtime's socket machinery count). Measured about 500 bytes per request when written; the bound catches a
/// per-request Task, CancellationTokenSource or buffer creeping in, not the last few objects.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    [Fact]
    public async Task PlanReadsAllocateLittlePerRequest()
    {
        await using var server = await PymodbusServer.StartAsync();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = server.Port, RequestTimeout = TimeSpan.FromSeconds(10) });
        var plan = ModbusReadPlanner.Plan([new(ModbusTable.HoldingRegisters, 0, 100), new(ModbusTable.HoldingRegisters, 500, 100),
            new(ModbusTable.Coils, 0, 64)], new ModbusReadPlannerOptions());
        var buffer = new ushort[plan.BufferLength];
        var results = new ModbusExceptionCode[plan.Requests.Length];
        for (var i = 0; i < 300; i++)
        {
            await client.ReadAsync(plan, buffer, results).WithTimeout(); // warm up: JIT, pools, tiering
        }

        const int Cycles = 1000;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Cycles; i++)
        {
            await client.ReadAsync(plan, buffer, results);
        }

        var perRequest = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)(Cycles * plan.Requests.Length);
        Assert.True(perRequest < 1024, $"{perRequest:0.0} bytes allocated per request");
    }
}
