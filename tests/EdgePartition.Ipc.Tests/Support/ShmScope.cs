
namespace EdgePartition.Ipc.Tests.Support;

/// <summary>A unique partition in /dev/shm whose files and semaphores are removed when the test ends.</summary>
internal sealed class ShmScope : IDisposable
{
    public string Directory { get; } = SegmentNames.DefaultDirectory;

    public string Partition { get; } = TestNames.Partition("ipc");

    public string SegmentPath(string name) => SegmentNames.SegmentPath(Directory, Partition, name);

    public void Dispose() => SegmentDirectory.DeletePartition(Directory, Partition);
}
