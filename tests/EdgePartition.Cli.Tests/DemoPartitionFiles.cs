using System.Net;
using System.Net.Sockets;

namespace EdgePartition.Cli.Tests;

/// <summary>
/// A copy of the demo partition (config/xml/demo) in a temporary folder with a unique partition name and the ports
/// the test chose, so tests run the real demo layout without colliding with each other or a running demo.
/// Dispose deletes the folder and every segment, lock and queue of the partition.
/// </summary>
internal sealed class DemoPartitionFiles : IDisposable
{
    private static readonly int[] DemoPlcPorts = [11021, 11022, 11023];

    private DemoPartitionFiles(string directory, string partition, int httpPort)
    {
        Directory = directory;
        Partition = partition;
        HttpPort = httpPort;
    }

    public string Directory { get; }

    public string Partition { get; }

    public int HttpPort { get; }

    public string PartitionFile => Path.Combine(Directory, "demo.xml");

    public static DemoPartitionFiles Create(IReadOnlyList<int> plcPorts)
    {
        var directory = Path.Combine(Path.GetTempPath(), "edgepart-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var partition = TestNames.Partition("demo");
        var httpPort = FreeTcpPort();
        var source = RepoPaths.Combine("config", "xml", "demo");

        var partitionXml = File.ReadAllText(Path.Combine(source, "demo.xml"))
            .Replace("name=\"demo\"", $"name=\"{partition}\"", StringComparison.Ordinal)
            .Replace("port=\"8480\"", $"port=\"{httpPort}\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(directory, "demo.xml"), partitionXml);

        var devicesXml = File.ReadAllText(Path.Combine(source, "demo-s7.xml"));
        for (var i = 0; i < DemoPlcPorts.Length; i++)
        {
            devicesXml = devicesXml.Replace($"port=\"{DemoPlcPorts[i]}\"", $"port=\"{plcPorts[i]}\"", StringComparison.Ordinal);
        }

        File.WriteAllText(Path.Combine(directory, "demo-s7.xml"), devicesXml);
        return new DemoPartitionFiles(directory, partition, httpPort);
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        EdgePartition.Ipc.SegmentDirectory.DeletePartition("/dev/shm", Partition);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
