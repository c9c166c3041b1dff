using System.Diagnostics;

namespace EdgePartition.Ipc.Tests;

/// <summary>
/// A segment directory too small for a segment or queue: a clear error naming the directory and the bytes needed,
/// never a SIGBUS on the first write through a sparse mapping, and no temporary file left behind. The directory is a
/// 64 KiB tmpfs mounted for the test (the tests run as root in CI and in the dev container; mounting needs it).
/// </summary>
public sealed class FullSegmentDirectoryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgepart-small-tmpfs-" + Guid.NewGuid().ToString("N"));
    private readonly string _partition = TestNames.Partition("full");

    public FullSegmentDirectoryTests()
    {
        Assert.True(Environment.UserName == "root", "mounting a small tmpfs for this test needs root");
        Directory.CreateDirectory(_directory);
        Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", _directory);
    }

    [Fact]
    public void SegmentTooLargeForTheDirectoryFailsWithTheDirectoryAndTheBytesNeeded()
    {
        var layout = SegmentLayout.Create([new TagDescriptor("blob", IpcDataType.Bytes, MaxLength: 256 * 1024)]);

        var error = Assert.Throws<SegmentSpaceException>(() => SegmentWriter.Create(_directory, _partition, "plc1", layout));

        Assert.Contains(_directory, error.Message, StringComparison.Ordinal);
        Assert.Contains($"{layout.SegmentSize} bytes needed", error.Message, StringComparison.Ordinal);
        Assert.Equal(73, SegmentSpaceException.ExitCode);
        Assert.Empty(Directory.EnumerateFiles(_directory, "*.tmp-*"));
    }

    [Fact]
    public void WriteQueueTooLargeForTheDirectoryFailsWithTheBytesNeeded()
    {
        var error = Assert.Throws<SegmentSpaceException>(() => WriteQueue.Create(_directory, _partition, "plc1", capacity: 4096));

        Assert.Contains(_directory, error.Message, StringComparison.Ordinal);
        Assert.Contains($"{WriteQueueFormat.FileSize(4096)} bytes needed", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_directory, "*.tmp-*"));
    }

    [Fact]
    public void TemporaryFileOfADeadWriterIsRemovedByTheNextCreate()
    {
        var layout = SegmentLayout.Create([new TagDescriptor("counter", IpcDataType.Int32)]);
        var path = SegmentNames.SegmentPath(_directory, _partition, "plc1");
        var stale = $"{path}.tmp-{DeadPid()}-0badf00d";
        File.WriteAllBytes(stale, new byte[4096]);

        using (SegmentWriter.Create(_directory, _partition, "plc1", layout))
        {
            Assert.False(File.Exists(stale));
        }
    }

    public void Dispose()
    {
        SegmentDirectory.DeletePartition(_directory, _partition);
        Run("umount", _directory);
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A pid that was used and is gone: a child that has exited and been reaped.</summary>
    private static int DeadPid()
    {
        using var process = Process.Start("/bin/true")!;
        process.WaitForExit();
        return process.Id;
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TestTimeouts.Default), $"{file} did not finish");
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {error}");
    }
}
