using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Planning;

namespace EdgePartition.Modbus.Tests;

/// <summary>The per-request path (client and server together, in one process) allocates next to nothing.</summary>
public sealed class AllocationTests
{
    [Fact]
    public async Task PlanReadsAllocateAlmostNothingPerRequest()
    {
        await using var server = await EdgePartition.Testing.Peers.PymodbusServer.StartAsync();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = server.Port, MaxInFlight = 1, RequestTimeout = TimeSpan.FromSeconds(10) });
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
        Assert.True(perRequest < 64, $"{perRequest:0.0} bytes allocated per request");
    }
}
