using BenchmarkDotNet.Attributes;
using EdgePartition.Modbus;
using EdgePartition.Modbus.Planning;

namespace EdgePartition.Bench.Modbus.Micro;

/// <summary>Planning a poll group of 200 scattered tags over the four tables (done once per group, not per poll).</summary>
public class PlannerBenchmarks
{
    private readonly ModbusReadPlannerOptions _options = new();
    private ModbusReadItem[] _items = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var tables = new[] { ModbusTable.HoldingRegisters, ModbusTable.InputRegisters, ModbusTable.Coils, ModbusTable.DiscreteInputs };
        _items = new ModbusReadItem[200];
        for (var i = 0; i < _items.Length; i++)
        {
            var table = tables[random.Next(tables.Length)];
            _items[i] = new ModbusReadItem(table, (ushort)random.Next(0, 5000), table.IsBits() ? 1 : 1 << random.Next(3));
        }
    }

    [Benchmark]
    public int PlanTwoHundredTags() => ModbusReadPlanner.Plan(_items, _options).Requests.Length;
}
