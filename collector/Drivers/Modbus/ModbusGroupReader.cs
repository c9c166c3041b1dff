using EdgePartition.Ipc;
using EdgePartition.Modbus;
using EdgePartition.Modbus.Client;
using EdgePartition.Modbus.Planning;

namespace EdgePartition.Collector.Drivers;

/// <summary>
/// One poll group of a Modbus device: planned once (adjacent ranges merged up to the device's request limits),
/// with a reused value buffer and per-request exception codes, so a cycle allocates nothing.
/// </summary>
internal sealed class ModbusGroupReader : IPollGroupReader
{
    private readonly ModbusTagCodec[] _codecs;

    public ModbusGroupReader(ModbusTagCodec[] codecs, ModbusClientOptions client)
    {
        _codecs = codecs;
        var items = new ModbusReadItem[codecs.Length];
        for (var i = 0; i < codecs.Length; i++)
        {
            items[i] = new ModbusReadItem(codecs[i].Table, codecs[i].Address, codecs[i].Count);
        }

        Plan = ModbusReadPlanner.Plan(items, ModbusReadPlannerOptions.For(client));
        Buffer = new ushort[Plan.BufferLength];
        Results = new ModbusExceptionCode[Plan.Requests.Length];
    }

    public ModbusReadPlan Plan { get; }

    public ushort[] Buffer { get; }

    public ModbusExceptionCode[] Results { get; }

    /// <summary>Stages every tag of the last read; a tag whose request got an exception reply is marked bad.</summary>
    /// <returns>How many tags failed.</returns>
    public int Stage(SegmentWriter writer, long nowUnixNs)
    {
        var failed = 0;
        for (var i = 0; i < _codecs.Length; i++)
        {
            var codec = _codecs[i];
            var status = Plan.ItemStatus(i, Results);
            if (status != ModbusExceptionCode.None)
            {
                writer.SetSample(codec.Tag.Index, ModbusDriver.QualityOf(status), nowUnixNs);
                failed++;
                continue;
            }

            codec.Decode(Plan.ItemValues(i, Buffer), writer);
            writer.SetSample(codec.Tag.Index, IpcQuality.Good, nowUnixNs);
        }

        return failed;
    }
}
