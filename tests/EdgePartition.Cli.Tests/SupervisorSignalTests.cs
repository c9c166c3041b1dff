using System.Globalization;

namespace EdgePartition.Cli.Tests;

/// <summary>
/// What each signal a supervisor can receive does to `edgepart run` and its children (a simulated device, so no peer
/// is needed): TERM, INT and QUIT stop everything cleanly; HUP changes nothing; KILL takes the children with it
/// (PR_SET_PDEATHSIG), so a new run starts clean. A second supervisor of a running partition refuses in one line.
/// </summary>
public sealed class SupervisorSignalTests
{
    private const int SigHup = 1;
    private const int SigInt = 2;
    private const int SigQuit = 3;
    private const int SigKill = 9;
    private const int SigTerm = 15;

    private static readonly TimeSpan Patience = TestTimeouts.Process;

    [Theory]
    [InlineData(SigTerm)]
    [InlineData(SigInt)]
    [InlineData(SigQuit)]
    public async Task StopSignalStopsTheSupervisorAndEveryChild(int signal)
    {
        using var files = SimPartition.Create();
        await using var run = EdgepartProcess.Start("run", files.PartitionFile);
        var children = await WaitForChildrenAsync(run);

        run.Signal(signal);
        Assert.Equal(0, await run.WaitForExitAsync(Patience));
        await WaitForAllGoneAsync(children);
    }

    [Fact]
    public async Task HangupChangesNothingAndOrphansNothing()
    {
        using var files = SimPartition.Create();
        await using var run = EdgepartProcess.Start("run", files.PartitionFile);
        var children = await WaitForChildrenAsync(run);

        run.Signal(SigHup);
        await run.WaitForLineAsync(l => l.Text.Contains("SIGHUP received", StringComparison.Ordinal), Patience);
        Assert.False(run.HasExited);
        Assert.All(children, pid => Assert.True(IsAlive(pid), $"child {pid} died on SIGHUP:\n{run.Output}"));

        run.Signal(SigTerm);
        Assert.Equal(0, await run.WaitForExitAsync(Patience));
        await WaitForAllGoneAsync(children);
    }

    [Fact]
    public async Task KilledSupervisorTakesItsChildrenAndTheNextRunStartsClean()
    {
        using var files = SimPartition.Create();
        int[] children;
        await using (var run = EdgepartProcess.Start("run", files.PartitionFile))
        {
            children = await WaitForChildrenAsync(run);
            run.Signal(SigKill);
            await run.WaitForExitAsync(Patience);
        }

        await WaitForAllGoneAsync(children);

        await using var next = EdgepartProcess.Start("run", files.PartitionFile);
        await WaitForChildrenAsync(next);
        next.Signal(SigTerm);
        Assert.Equal(0, await next.WaitForExitAsync(Patience));
        Assert.DoesNotContain(next.Lines, l => l.Text.Contains("restarting in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecondSupervisorOfARunningPartitionRefusesInOneLine()
    {
        using var files = SimPartition.Create();
        await using var first = EdgepartProcess.Start("run", files.PartitionFile);
        await WaitForChildrenAsync(first);

        await using var second = EdgepartProcess.Start("run", files.PartitionFile);
        Assert.Equal(69, await second.WaitForExitAsync(Patience));
        var line = Assert.Single(second.Lines, l => !string.IsNullOrWhiteSpace(l.Text));
        Assert.Contains("already running", line.Text, StringComparison.Ordinal);
        Assert.False(first.HasExited);

        first.Signal(SigTerm);
        Assert.Equal(0, await first.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task ChildThatCannotStartSaysWhyInOneLineWithoutAStackTrace()
    {
        using var files = SimPartition.Create();

        // Another writer holds sim1's segment: the collector cannot take its lease.
        using var holder = EdgePartition.Ipc.SegmentWriter.Create("/dev/shm", files.Partition, "sim1",
            EdgePartition.Ipc.SegmentLayout.Create([new EdgePartition.Ipc.TagDescriptor("x", EdgePartition.Ipc.IpcDataType.Int32)]));
        await using var collector = EdgepartProcess.Start("collector", files.PartitionFile, "--protocol", "sim");

        Assert.NotEqual(0, await collector.WaitForExitAsync(Patience));
        Assert.Contains(collector.Lines, l => l.Text.Contains("holds the lease", StringComparison.Ordinal));
        Assert.DoesNotContain(collector.Lines, l => l.Text.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    /// <summary>The pids of the collector and the consumers once both started.</summary>
    private static async Task<int[]> WaitForChildrenAsync(EdgepartProcess run)
    {
        var collector = await run.WaitForLineAsync(l => l.Text.Contains("Started collector-sim (pid", StringComparison.Ordinal), Patience);
        var consumers = await run.WaitForLineAsync(l => l.Text.Contains("Started consumers (pid", StringComparison.Ordinal), Patience);
        return [ParsePid(collector.Text), ParsePid(consumers.Text)];
    }

    private static Task WaitForAllGoneAsync(int[] pids) =>
        Eventually.PollAsync(() => pids.All(pid => !IsAlive(pid)), $"children {string.Join(", ", pids)} gone", Patience);

    /// <summary>Running or sleeping (a zombie waiting for its reaper counts as gone).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int ParsePid(string line)
    {
        var start = line.IndexOf("(pid ", StringComparison.Ordinal) + 5;
        var end = line.IndexOf(')', start);
        return int.Parse(line.AsSpan(start, end - start), CultureInfo.InvariantCulture);
    }

    /// <summary>A partition with one simulated device and the consumers on a free port, in a temporary folder.</summary>
    private sealed class SimPartition : IDisposable
    {
        private SimPartition(string directory, string partition)
        {
            Directory = directory;
            Partition = partition;
        }

        public string Directory { get; }

        public string Partition { get; }

        public string PartitionFile => Path.Combine(Directory, "partition.xml");

        public static SimPartition Create()
        {
            var directory = Path.Combine(Path.GetTempPath(), "edgepart-cli-tests", Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(directory);
            var partition = TestNames.Partition("sig");
            File.WriteAllText(Path.Combine(directory, "sim.xml"), """
                <simDevices xmlns="urn:edgepartition:sim:1">
                  <device name="sim1">
                    <pollGroup name="main" cycleMs="100">
                      <tag name="counter" type="int32" generator="counter" periodMs="100" min="0" max="1000"/>
                    </pollGroup>
                  </device>
                </simDevices>
                """);
            File.WriteAllText(Path.Combine(directory, "partition.xml"), $"""
                <partition xmlns="urn:edgepartition:partition:1" name="{partition}">
                  <include path="sim.xml"/>
                  <consumers>
                    <http bind="127.0.0.1" port="{DemoPartitionFiles.FreeTcpPort()}"/>
                  </consumers>
                </partition>
                """);
            return new SimPartition(directory, partition);
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
}
