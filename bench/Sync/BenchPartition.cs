using System.Globalization;
using System.Text;
using EdgePartition.Ipc;

namespace EdgePartition.Sync.Bench;

/// <summary>
/// A partition written to a temporary folder for a harness run: N S7 PLCs on loopback ports, each sharing its send
/// block DB100.DBB0 (computed image offsets, one region per PLC) and receiving the image into DB200.DBB0.
/// Disposing removes the folder and the partition's segments, queues and semaphores.
/// </summary>
internal sealed class BenchPartition : IDisposable
{
    private BenchPartition(string folder, string name, string file)
    {
        Folder = folder;
        Name = name;
        File = file;
    }

    public string Folder { get; }

    public string Name { get; }

    public string File { get; }

    public static int ImageSize(int plcs, int sendBytes) => RoundUpEven((plcs * sendBytes) + 2 + ((plcs + 7) / 8));

    /// <param name="receiveBytes">Size of the receive tag (at least the image).</param>
    /// <param name="receivePollMs">Poll cycle of the receive tag (sync writes it; reading it back is only for checks).</param>
    public static BenchPartition Create(IReadOnlyList<int> ports, int sendBytes, int receiveBytes, int pollMs, int syncCycleMs, int receivePollMs)
    {
        var name = $"bench{Environment.ProcessId:x}{Random.Shared.Next(0x10000):x4}";
        var folder = Directory.CreateTempSubdirectory("edgepart-sync-bench-").FullName;
        var devices = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<s7Devices xmlns=\"urn:edgepartition:s7:1\">\n");
        var sync = new StringBuilder();
        for (var i = 0; i < ports.Count; i++)
        {
            devices.Append(CultureInfo.InvariantCulture, $"""
                  <device name="plc{i + 1}" host="127.0.0.1" port="{ports[i]}" rack="0" slot="1">
                    <pollGroup name="main" cycleMs="{pollMs}">
                      <tag name="send" address="DB100.DBB0" type="BYTE" length="{sendBytes}"/>
                      <tag name="heartbeat" address="DB100.DBW0" type="INT"/>
                    </pollGroup>
                    <pollGroup name="receive" cycleMs="{receivePollMs}">
                      <tag name="receive" address="DB200.DBB0" type="BYTE" length="{receiveBytes}" writable="true"/>
                    </pollGroup>
                  </device>

                """);
            sync.Append(CultureInfo.InvariantCulture, $"    <block device=\"plc{i + 1}\" tag=\"send\"/>\n");
        }

        devices.Append("</s7Devices>\n");
        var receivers = new StringBuilder();
        var heartbeats = new StringBuilder();
        for (var i = 0; i < ports.Count; i++)
        {
            receivers.Append(CultureInfo.InvariantCulture, $"    <receive device=\"plc{i + 1}\" tag=\"receive\"/>\n");
            heartbeats.Append(CultureInfo.InvariantCulture, $"    <deviceHeartbeat device=\"plc{i + 1}\" tag=\"heartbeat\" timeoutMs=\"3000\"/>\n");
        }

        var partition = string.Create(CultureInfo.InvariantCulture, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <partition xmlns="urn:edgepartition:partition:1" name="{name}" segmentDirectory="{SegmentNames.DefaultDirectory}">
              <include path="plcs.xml"/>
              <sync cycleMs="{syncCycleMs}" fullRefreshMs="5000">
            {sync}    <serverHeartbeat modulo="256"/>
                <aliveFlags/>
            {receivers}{heartbeats}  </sync>
              <logging level="Warning"/>
            </partition>

            """);
        System.IO.File.WriteAllText(Path.Combine(folder, "plcs.xml"), devices.ToString());
        var file = Path.Combine(folder, "partition.xml");
        System.IO.File.WriteAllText(file, partition);
        return new BenchPartition(folder, name, file);
    }

    public void Dispose()
    {
        SegmentDirectory.DeletePartition(SegmentNames.DefaultDirectory, Name);
        Directory.Delete(Folder, recursive: true);
    }

    private static int RoundUpEven(int value) => (value + 1) & ~1;
}
