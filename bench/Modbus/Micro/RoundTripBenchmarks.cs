using System.Net;
using BenchmarkDotNet.Attributes;
using EdgePartition.Modbus;
using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Planning;
using EdgePartition.Modbus.Server;

namespace EdgePartition.Bench.Modbus.Micro;

/// <summary>
/// Our client against our own server in this process on 127.0.0.1: one 10-register read, and a poll of an 8-request
/// plan with 1 or 4 requests in flight. Allocation is counted process-wide, so it includes the server's.
/// </summary>
public class RoundTripBenchmarks
{
    private ModbusTcpServer _server = null!;
    private ModbusTcpClient _client = null!;
    private ModbusReadPlan _plan = null!;
    private readonly ushort[] _ten = new ushort[10];
    private ushort[] _buffer = [];
    private ModbusExceptionCode[] _results = [];

    [Params(1, 4)]
    public int InFlight { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _server = new ModbusTcpServer(new ModbusServerOptions { Address = IPAddress.Loopback, Port = 0 });
        _server.Start();
        _client = new ModbusTcpClient(new ModbusClientOptions
        {
            Host = "127.0.0.1",
            Port = _server.Port,
            MaxInFlight = InFlight,
            RequestTimeout = TimeSpan.FromSeconds(5),
        });
        var items = new ModbusReadItem[8];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new ModbusReadItem(ModbusTable.HoldingRegisters, (ushort)(i * 200), 50);
        }

        _plan = ModbusReadPlanner.Plan(items, new ModbusReadPlannerOptions());
        _buffer = new ushort[_plan.BufferLength];
        _results = new ModbusExceptionCode[_plan.Requests.Length];
        _client.ConnectAsync().AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public ValueTask ReadTenRegisters() => _client.ReadHoldingRegistersAsync(0, _ten);

    [Benchmark]
    public ValueTask ReadPlanOfEightRequests() => _client.ReadAsync(_plan, _buffer, _results);
}
