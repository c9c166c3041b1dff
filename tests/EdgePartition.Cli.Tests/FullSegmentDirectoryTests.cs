using System.Diagnostics;

namespace EdgePartition.Cli.Tests;

/// <summary>
/// A partition whose segment directory is full (a small tmpfs, filled): the collector says so in one line naming the
/// directory and exits with 73, and `edgepart run` leaves it down instead of restarting it in a loop. Mounting the
/// tmpfs needs root (as CI and the dev container run the tests).
/// </summary>
public sealed class FullSegmentDirectoryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgepart-full-" + Guid.NewGuid().ToString("N"));
    private readonly string _configDirectory = Directory.CreateTempSubdirectory("edgepart-full-config-").FullName;
    private readonly string _partition = TestNames.Partition("full");

    public FullSegmentDirectoryTests()
    {
        Assert.True(Environment.UserName == "root", "mounting a small tmpfs for this test needs root");
        Directory.CreateDirectory(_directory);
        Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", _directory);
        Fill(Path.Combine(_directory, "filler"));
        File.WriteAllText(Path.Combine(_configDirectory, "sim.xml"), """
            <simDevices xmlns="urn:edgepartition:sim:1">
              <device name="sim1">
                <pollGroup name="main" cycleMs="100">
                  <tag name="counter" type="int32" generator="counter" periodMs="100" min="0" max="1000"/>
                </pollGroup>
              </device>
            </simDevices>
            """);
        File.WriteAllText(PartitionFile, $"""
            <partition xmlns="urn:edgepartition:partition:1" name="{_partition}" segmentDirectory="{_directory}">
              <include path="sim.xml"/>
              <consumers>
                <http bind="127.0.0.1" port="{DemoPartitionFiles.FreeTcpPort()}"/>
              </consumers>
            </partition>
            """);
    }

    private string PartitionFile => Path.Combine(_configDirectory, "partition.xml");

    [Fact]
    public async Task CollectorSaysTheDirectoryIsFullAndExitsWithThePermanentCode()
    {
        await using var collector = EdgepartProcess.Start("collector", PartitionFile, "--protocol", "sim");

        Assert.Equal(73, await collector.WaitForExitAsync(TestTimeouts.Process));
        Assert.Contains(collector.Lines, l => l.Text.Contains($"the segment directory {_directory} has no room", StringComparison.Ordinal));
        Assert.DoesNotContain(collector.Lines, l => l.Text.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(_directory, "*.tmp-*"));
    }

    [Fact]
    public async Task SupervisorLeavesTheCollectorDownInsteadOfRestartingIt()
    {
        await using var run = EdgepartProcess.Start("run", PartitionFile);
        await run.WaitForLineAsync(l => l.Text.Contains("collector-sim exited with code 73, which a restart cannot cure", StringComparison.Ordinal), TestTimeouts.Process);
        Assert.DoesNotContain(run.Lines, l => l.Text.Contains("collector-sim exited with code 73 after", StringComparison.Ordinal));
        run.Terminate();
        await run.WaitForExitAsync(TestTimeouts.Process);
    }

    public void Dispose()
    {
        EdgePartition.Ipc.SegmentDirectory.DeletePartition(_directory, _partition);
        Run("umount", _directory);
        Directory.Delete(_directory, recursive: true);
        Directory.Delete(_configDirectory, recursive: true);
    }

    /// <summary>Writes until the file system refuses: what is left is less than a page.</summary>
    private static void Fill(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        try
        {
            for (var i = 0; i < 64; i++)
            {
                file.Write(block);
                file.Flush(flushToDisk: true);
            }
        }
        catch (IOException)
        {
            // Full: the point.
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TestTimeouts.Default), $"{file} did not finish");
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {error}");
    }
}
