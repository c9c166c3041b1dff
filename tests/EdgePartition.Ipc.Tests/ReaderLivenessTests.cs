using System.Text.Json;
using EdgePartition.Ipc.Tests.Support;

namespace EdgePartition.Ipc.Tests;

/// <summary>
/// The Python and C readers notice by themselves a writer that died (its lease is free) and a segment its writer
/// replaced with a new layout (SCHEMA.md 4.1): Python's held Segment says Gone instead of serving the last values as
/// fresh and re-attaches to the replacement on the next read; the C reader's --wait-change ends with its own exit
/// codes (6 superseded, 7 writer gone) instead of 0.
/// </summary>
public sealed class ReaderLivenessTests : IDisposable
{
    private readonly string _buildDirectory = Directory.CreateTempSubdirectory("edgepart-c-reader-").FullName;

    /// <summary>A held Segment answering one JSON line per "read" line on stdin.</summary>
    private const string PythonDriver = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import edgepart_shm
        seg = edgepart_shm.Segment(sys.argv[2])
        print("attached", flush=True)
        for line in sys.stdin:
            snap = seg.snapshot()
            doc = seg.liveness_document()
            doc["tags"] = [t["name"] for t in seg.tags]
            print("read " + json.dumps(doc), flush=True)
        """;

    private static readonly SegmentLayout Replacement = SegmentLayout.Create([new TagDescriptor("replacement", IpcDataType.Int32)]);

    [Fact]
    public async Task HeldPythonSegmentSeesItsWriterGoneThenFollowsTheReplacement()
    {
        using var scope = new ShmScope();
        var path = SegmentNames.SegmentPath(scope.Directory, scope.Partition, "dev");
        using var writer = ChildProcess.StartHelper("idle-writer", scope.Directory, scope.Partition, "dev");
        await writer.WaitForLineAsync("ready");
        using var python = ChildProcess.Start("python3", ["-c", PythonDriver, RepoPaths.Combine("ipc-schema", "python"), path]);
        await python.WaitForLineAsync("attached");

        Assert.Equal("Alive", (await ReadAsync(python)).GetProperty("state").GetString());

        await writer.KillAsync();
        var afterKill = await ReadAsync(python);
        Assert.Equal("Gone", afterKill.GetProperty("state").GetString());
        Assert.False(afterKill.GetProperty("leaseHeld").GetBoolean());

        using var replacement = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Replacement);
        replacement.Commit();
        replacement.Heartbeat();
        var afterReplace = await ReadAsync(python);
        Assert.Equal(1, afterReplace.GetProperty("reattachments").GetInt32());
        Assert.Equal("Alive", afterReplace.GetProperty("state").GetString());
        Assert.Equal(["replacement"], afterReplace.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task CReaderWaitingForAChangeEndsWithSupersededWhenTheWriterReplacesTheSegment()
    {
        using var scope = new ShmScope();
        var path = SegmentNames.SegmentPath(scope.Directory, scope.Partition, "dev");
        using (var first = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", SegmentLayout.Create([new TagDescriptor("x", IpcDataType.Int32)])))
        {
            first.Commit();
        }

        // The writer stopped cleanly (its last change); the reader waits for the next one on that file.
        ulong stopped;
        using (var reader = SegmentReader.OpenPath(path))
        {
            stopped = reader.ChangeSequence;
        }

        using var waiter = ChildProcess.Start(await BuildCReaderAsync(), [path, "--wait-change", stopped.ToString(), "30000"]);
        await waiter.WaitForLineAsync("waiting");

        // A new layout: a new file renamed over the path, the old one marked superseded (its change sequence bumped).
        using var second = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", Replacement);

        Assert.Equal(6, await waiter.WaitForExitAsync());
        Assert.Contains("superseded", waiter.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CReaderWaitingForAChangeEndsWithWriterGoneWhenTheWriterIsKilled()
    {
        using var scope = new ShmScope();
        var path = SegmentNames.SegmentPath(scope.Directory, scope.Partition, "dev");
        using var writer = ChildProcess.StartHelper("idle-writer", scope.Directory, scope.Partition, "dev");
        await writer.WaitForLineAsync("ready");
        using var reader = SegmentReader.OpenPath(path);
        using var waiter = ChildProcess.Start(await BuildCReaderAsync(), [path, "--wait-change", reader.ChangeSequence.ToString(), "30000"]);
        await waiter.WaitForLineAsync("waiting");

        await writer.KillAsync();

        Assert.Equal(7, await waiter.WaitForExitAsync());
        Assert.Contains("is gone", waiter.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_buildDirectory, recursive: true);

    private async Task<string> BuildCReaderAsync()
    {
        var output = Path.Combine(_buildDirectory, "edgepart_shm_dump");
        using var cc = ChildProcess.Start("cc", ["-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", output,
            RepoPaths.Combine("ipc-schema", "c", "edgepart_shm_dump.c"), "-lm"]);
        Assert.True(await cc.WaitForExitAsync() == 0, cc.StandardError);
        return output;
    }

    private static async Task<JsonElement> ReadAsync(ChildProcess python)
    {
        await python.SendLineAsync("read");
        var line = await python.WaitForLineAsync("read ");
        return JsonDocument.Parse(line["read ".Length..]).RootElement.Clone();
    }
}
