using EdgePartition.Config;

namespace EdgePartition.Sync.Tests.Support;

/// <summary>
/// A partition made from XML files in a temporary folder under a unique name, with segments in /dev/shm; disposing
/// removes its folder and every segment, queue and semaphore of the partition.
/// </summary>
internal sealed class TestPartition : IDisposable
{
    private TestPartition(string folder, string name, string partitionFile)
    {
        Folder = folder;
        Name = name;
        PartitionFile = partitionFile;
        Config = PartitionConfigLoader.Load(partitionFile);
    }

    public string Folder { get; }

    public string Name { get; }

    public string PartitionFile { get; }

    public PartitionConfig Config { get; }

    public string SegmentDirectory => Config.SegmentDirectory;

    /// <summary>The demo partition (three S7 PLCs, DB100 send, DB200 receive) under a unique name.</summary>
    public static TestPartition FromDemo(Func<string, string>? editPartition = null, Func<string, string>? editDevices = null)
    {
        var partition = File.ReadAllText(RepoPaths.Combine("config", "xml", "demo", "demo.xml"));
        var devices = File.ReadAllText(RepoPaths.Combine("config", "xml", "demo", "demo-s7.xml"));
        return Create(
            "demo",
            editPartition is null ? partition : editPartition(partition),
            "demo-s7.xml",
            editDevices is null ? devices : editDevices(devices));
    }

    /// <summary>The s7sync utility's three-PLC worked example (tests/EdgePartition.Sync.Tests/Partitions) under a unique name.</summary>
    public static TestPartition FromS7SyncExample(Func<string, string>? editDevices = null)
    {
        var folder = RepoPaths.Combine("tests", "EdgePartition.Sync.Tests", "Partitions");
        var devices = File.ReadAllText(Path.Combine(folder, "s7sync-plcs.xml"));
        return Create("s7sync", File.ReadAllText(Path.Combine(folder, "s7sync.xml")), "s7sync-plcs.xml", editDevices is null ? devices : editDevices(devices));
    }

    /// <summary>A partition file (whose name attribute is <paramref name="placeholderName"/>) and one endpoint file.</summary>
    public static TestPartition Create(string placeholderName, string partitionXml, string devicesFileName, string devicesXml)
    {
        var name = TestNames.Partition("sy");
        var folder = Directory.CreateTempSubdirectory("edgepart-sync-").FullName;
        File.WriteAllText(Path.Combine(folder, devicesFileName), devicesXml);
        var partitionFile = Path.Combine(folder, "partition.xml");
        File.WriteAllText(partitionFile, partitionXml.Replace($"name=\"{placeholderName}\"", $"name=\"{name}\"", StringComparison.Ordinal));
        try
        {
            return new TestPartition(folder, name, partitionFile);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        Ipc.SegmentDirectory.DeletePartition(SegmentDirectory, Name);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
