using System.Text.Json;
using EdgePartition.Ipc;

namespace EdgePartition.Cli.Tests;

/// <summary>`edgepart shm ls | dump | watch` as a user runs them, against a real segment written by this process.</summary>
public sealed class ShmCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TestTimeouts.Process;
    private readonly string _directory = SegmentNames.DefaultDirectory;
    private readonly string _partition = TestNames.Partition("shm");
    private readonly SegmentWriter _writer;

    public ShmCommandTests()
    {
        var layout = SegmentLayout.Create(
        [
            new TagDescriptor("speed", IpcDataType.Float64, Address: "DB1.DBD0"),
            new TagDescriptor("count", IpcDataType.Int32, Address: "DB1.DBD8"),
        ]);
        // This writer never heartbeats; it declares a long interval so that a CLI slow to start on a loaded machine
        // still judges it alive (the liveness rule allows three intervals of silence).
        _writer = SegmentWriter.Create(_directory, _partition, "plc1", layout,
            options: new SegmentWriterOptions { HeartbeatInterval = TimeSpan.FromMinutes(10) });
        _writer.SetFloat64(0, 12.5);
        _writer.SetSample(0, IpcQuality.Good, UnixTime.NowNs());
        _writer.SetInt32(1, 7);
        _writer.SetSample(1, IpcQuality.Good, UnixTime.NowNs());
        _writer.Status.SetEndpoint("127.0.0.1:102");
        _writer.Commit();
    }

    public void Dispose()
    {
        _writer.Dispose();
        SegmentDirectory.DeletePartition(_directory, _partition);
    }

    [Fact]
    public async Task ListShowsTheSegmentWithItsLiveWriter()
    {
        var (code, output) = await RunAsync("shm", "ls", _partition);

        Assert.Equal(0, code);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith(_partition, StringComparison.Ordinal));
        Assert.Contains("plc1", line);
        Assert.Contains(" alive ", line);
        Assert.Contains(Environment.ProcessId.ToString(), line);
    }

    [Fact]
    public async Task DumpPrintsValuesAndTheCommitThatLastWroteEachTag()
    {
        _writer.SetInt32(1, 8);
        _writer.Commit();

        var (code, output) = await RunAsync("shm", "dump", _partition, "plc1");

        Assert.Equal(0, code);
        Assert.Contains("127.0.0.1:102", output);
        var speed = Assert.Single(output.Split('\n'), l => l.StartsWith("speed ", StringComparison.Ordinal));
        var count = Assert.Single(output.Split('\n'), l => l.StartsWith("count ", StringComparison.Ordinal));
        Assert.EndsWith("12.5", speed.TrimEnd());
        Assert.EndsWith("8", count.TrimEnd());
        // speed was last written by the first commit after the writer started, count by the one after it.
        Assert.Matches(@"\s1\s+12\.5$", speed.TrimEnd());
        Assert.Matches(@"\s2\s+8$", count.TrimEnd());
    }

    [Fact]
    public async Task JsonDumpIsTheDocumentTheLibraryWrites()
    {
        var (code, output) = await RunAsync("shm", "dump", "--json", _partition, "plc1");

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal($"{SegmentFormat.LayoutMajor}.{SegmentFormat.LayoutMinor}", root.GetProperty("layout").GetString());
        Assert.Equal(_writer.Epoch, Convert.ToUInt64(root.GetProperty("epoch").GetString(), 16));
        var tags = root.GetProperty("tags");
        Assert.Equal(12.5, tags[0].GetProperty("value").GetDouble());
        Assert.Equal(7, tags[1].GetProperty("value").GetInt32());
        Assert.Equal("Good", tags[1].GetProperty("qualityName").GetString());
        Assert.Equal(2u, tags[1].GetProperty("version").GetUInt32());
    }

    [Fact]
    public async Task WatchPrintsALinePerCommitAndStopsAfterCount()
    {
        await using var watch = EdgepartProcess.Start("shm", "watch", _partition, "plc1", "--count", "3", "--tag", "count");
        await watch.WaitForLineAsync(l => l.Text.Contains("count=7", StringComparison.Ordinal), Patience);

        foreach (var value in new[] { 100, 101 })
        {
            _writer.SetInt32(1, value);
            _writer.Commit();
            await watch.WaitForLineAsync(l => l.Text.Contains($"count={value}", StringComparison.Ordinal), Patience);
        }

        Assert.Equal(0, await watch.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task ABadOrMissingSegmentIsNamedWithItsProblem()
    {
        var bad = SegmentNames.SegmentPath(_directory, _partition, "bad");
        await File.WriteAllTextAsync(bad, "not a segment at all, just text that is long enough to read a header from\n");

        var (badCode, badOutput) = await RunAsync("shm", "dump", _partition, "bad");
        var (missingCode, missingOutput) = await RunAsync("shm", "dump", _partition, "nothing");

        Assert.Equal(65, badCode);
        Assert.Contains($"{bad}: wrong magic", badOutput);
        Assert.Equal(66, missingCode);
        Assert.Contains(SegmentNames.SegmentPath(_directory, _partition, "nothing"), missingOutput);
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        await using var process = EdgepartProcess.Start(args);
        var code = await process.WaitForExitAsync(Patience);
        // stdout and stderr lines, without the capture's stream prefixes.
        return (code, string.Join('\n', process.Lines.Select(l => l.Text)));
    }
}
