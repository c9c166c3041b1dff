using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using EdgePartition.Ipc.Tests.Support;
using EdgePartition.Native;

namespace EdgePartition.Ipc.Tests;

/// <summary>Readers cannot write: the OS refuses, not the API.</summary>
[SupportedOSPlatform("linux")]
public class ReadOnlyEnforcementTests
{
    [Fact]
    public void ReadOnlyDescriptorCannotBeMappedWritable()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", SegmentRoundTripTests.AllTypes());
        using var fd = SafeFdHandle.Open(writer.Path, Interop.Libc.O_RDONLY);
        var address = Interop.Libc.Mmap(0, 4096, Interop.Libc.PROT_READ | Interop.Libc.PROT_WRITE, Interop.Libc.MAP_SHARED, fd.Fd, 0);
        var errno = Marshal.GetLastPInvokeError();
        Assert.Equal(Interop.Libc.MapFailed, address);
        Assert.Equal(Interop.Libc.EACCES, errno);
    }

    [Fact]
    public void ReaderMappingIsReadOnly()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", SegmentRoundTripTests.AllTypes());
        using var reader = SegmentReader.Open(scope.Directory, scope.Partition, "dev");
        var maps = File.ReadAllLines("/proc/self/maps").Where(line => line.EndsWith(writer.Path, StringComparison.Ordinal)).ToArray();
        // One read-write mapping (the writer) and one read-only shared mapping (the reader).
        Assert.Contains(maps, line => line.Split(' ')[1] == "rw-s");
        Assert.Contains(maps, line => line.Split(' ')[1] == "r--s");
    }

    [Fact]
    public async Task ReaderProcessThatStoresIntoItsMappingIsStoppedByTheOs()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", SegmentRoundTripTests.AllTypes());
        writer.Commit();
        var before = writer.CommitCount;
        using var child = ChildProcess.StartHelper("write-through-reader", scope.Directory, scope.Partition, "dev");
        await child.WaitForLineAsync("attached");
        var exitCode = await child.WaitForExitAsync();
        Assert.NotEqual(0, exitCode);
        Assert.Equal(before, writer.CommitCount);
    }

    [Fact]
    public void SegmentFilesAreCreatedWithMode0640()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", SegmentRoundTripTests.AllTypes());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(writer.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(writer.Path + ".lock"));
    }
}
