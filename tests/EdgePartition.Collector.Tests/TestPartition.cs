using EdgePartition.Config;
using EdgePartition.Ipc;

namespace EdgePartition.Collector.Tests;

/// <summary>
/// A partition written to a temporary folder (partition file + one endpoint file) under a unique name, with its
/// segments in /dev/shm; disposing removes the files, segments, queues and semaphores.
/// </summary>
internal sealed class TestPartition : IDisposable
{
    private TestPartition(string name, string directory, string partitionFile)
    {
        Name = name;
        Directory = directory;
        PartitionFile = partitionFile;
    }

    public string Name { get; }

    public string Directory { get; }

    public string PartitionFile { get; }

    public const string ShmDirectory = SegmentNames.DefaultDirectory;

    /// <summary>Writes a partition including one endpoint file with <paramref name="endpointXml"/> (its root element).</summary>
    public static TestPartition Create(string endpointXml)
    {
        var name = TestNames.Partition("c");
        var directory = Path.Combine(Path.GetTempPath(), "edgepart-collector-tests", name);
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "devices.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + endpointXml);
        var partitionFile = Path.Combine(directory, "partition.xml");
        File.WriteAllText(partitionFile, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <partition xmlns="urn:edgepartition:partition:1" name="{name}" segmentDirectory="{ShmDirectory}">
              <include path="devices.xml"/>
              <logging level="Debug"/>
            </partition>
            """);
        return new TestPartition(name, directory, partitionFile);
    }

    public PartitionConfig Load() => PartitionConfigLoader.Load(PartitionFile);

    public void Dispose()
    {
        SegmentDirectory.DeletePartition(ShmDirectory, Name);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
