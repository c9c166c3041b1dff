using EdgePartition.Config;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Tests.Endpoints;

/// <summary>
/// A partition for endpoint tests: an XML config (one S7 PLC, one Modbus device, a sync image) loaded by the real
/// loader, real segments in /dev/shm written by <see cref="SegmentWriter"/>s as the collector and sync would, and the
/// device write queues created as the collector creates them. Disposing deletes every file and semaphore.
/// </summary>
public sealed class EndpointPartition : IDisposable
{
    public const string Directory = SegmentNames.DefaultDirectory;

    /// <summary>plc1's tags as the collector lays them out (config order; scaled INT as Float64, BYTE[8] as one block).</summary>
    public static readonly TagDescriptor[] PlcTags =
    [
        new("counter", IpcDataType.Int32, Address: "DB10.DBD0"),
        new("speed", IpcDataType.Float32, Address: "DB10.DBD4"),
        new("running", IpcDataType.Bool, Address: "DB10.DBX8.0"),
        new("level", IpcDataType.Float64, Address: "DB10.DBW10"),
        new("setpoint", IpcDataType.Int16, Address: "DB10.DBW12", Writable: true),
        new("levels", IpcDataType.Int16, ArrayLength: 4, Address: "DB10.DBB14"),
        new("batch", IpcDataType.String, MaxLength: 16, Address: "DB10.DBB22", Writable: true),
        new("share", IpcDataType.Bytes, MaxLength: 8, Address: "DB10.DBB40", Writable: true),
        new("enable", IpcDataType.Bool, Address: "DB10.DBX48.0", Writable: true),
    ];

    public static readonly TagDescriptor[] MeterTags =
    [
        new("power", IpcDataType.Float32, Address: "holding:0"),
        new("limit", IpcDataType.UInt16, Address: "holding:2", Writable: true),
    ];

    public static readonly TagDescriptor[] SyncTags =
    [
        new("heartbeat", IpcDataType.UInt32),
        // The image as sync declares it (one declaration shared by sync and consumers).
        SyncSegmentTags.ImageTag(48),
    ];

    private readonly string _configDirectory;
    private readonly List<SegmentWriter> _writers = [];
    private readonly List<WriteQueue> _queues = [];

    public EndpointPartition(bool readOnly)
    {
        Name = TestNames.Partition("ep");
        _configDirectory = Path.Combine(Path.GetTempPath(), Name);
        System.IO.Directory.CreateDirectory(_configDirectory);
        File.WriteAllText(Path.Combine(_configDirectory, "p.xml"), $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <partition xmlns="urn:edgepartition:partition:1" name="{Name}">
              <include path="s7.xml"/>
              <include path="modbus.xml"/>
              <sync cycleMs="100">
                <block device="plc1" tag="share"/>
              </sync>
              <consumers>
                <s7Server port="10102" readOnly="{(readOnly ? "true" : "false")}"/>
                <modbusServer port="10502" readOnly="{(readOnly ? "true" : "false")}"/>
              </consumers>
            </partition>
            """);
        File.WriteAllText(Path.Combine(_configDirectory, "s7.xml"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <s7Devices xmlns="urn:edgepartition:s7:1">
              <device name="plc1" host="127.0.0.1" rack="0" slot="1">
                <pollGroup name="main" cycleMs="100">
                  <tag name="counter" address="DB10.DBD0" type="DINT"/>
                  <tag name="speed" address="DB10.DBD4" type="REAL"/>
                  <tag name="running" address="DB10.DBX8.0" type="BOOL"/>
                  <tag name="level" address="DB10.DBW10" type="INT" scale="0.1"/>
                  <tag name="setpoint" address="DB10.DBW12" type="INT" writable="true"/>
                  <tag name="levels" address="DB10.DBB14" type="INT" length="4"/>
                  <tag name="batch" address="DB10.DBB22" type="STRING" stringLength="8" writable="true"/>
                  <tag name="share" address="DB10.DBB40" type="BYTE" length="8" writable="true"/>
                  <tag name="enable" address="DB10.DBX48.0" type="BOOL" writable="true"/>
                </pollGroup>
              </device>
            </s7Devices>
            """);
        File.WriteAllText(Path.Combine(_configDirectory, "modbus.xml"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <modbusDevices xmlns="urn:edgepartition:modbus:1">
              <device name="meter" host="127.0.0.1">
                <pollGroup name="main" cycleMs="100">
                  <tag name="power" address="holding:0" type="float32"/>
                  <tag name="limit" address="holding:2" type="uint16" writable="true"/>
                </pollGroup>
              </device>
            </modbusDevices>
            """);
        Config = PartitionConfigLoader.Load(Path.Combine(_configDirectory, "p.xml"));
    }

    public string Name { get; }

    public PartitionConfig Config { get; }

    public SegmentWriter CreateWriter(string segment, TagDescriptor[] tags)
    {
        var writer = SegmentWriter.Create(Directory, Name, segment, SegmentLayout.Create(tags));
        _writers.Add(writer);
        return writer;
    }

    /// <summary>The device's write queue, consumer side, as the collector holds it.</summary>
    public WriteQueue CreateQueue(string device)
    {
        var queue = WriteQueue.Create(Directory, Name, device, capacity: 16);
        _queues.Add(queue);
        return queue;
    }

    public void Dispose()
    {
        foreach (var writer in _writers)
        {
            writer.Dispose();
        }

        foreach (var queue in _queues)
        {
            queue.Dispose();
        }

        foreach (var segment in new[] { "plc1", "meter", "sync" })
        {
            SegmentDirectory.Delete(Directory, Name, segment);
            WriteQueue.Unlink(Directory, Name, segment);
        }

        System.IO.Directory.Delete(_configDirectory, recursive: true);
    }
}
