using System.Text;
using System.Text.Json;
using EdgePartition.Ipc.Tests.Support;

namespace EdgePartition.Ipc.Tests;

/// <summary>The C reader and the Python reader (ipc-schema/c, ipc-schema/python) agree with the C# JSON dump.</summary>
public sealed class ForeignReaderTests : IDisposable
{
    private readonly string _buildDirectory = Directory.CreateTempSubdirectory("ep-ipc-c").FullName;

    public void Dispose() => Directory.Delete(_buildDirectory, recursive: true);

    [Fact]
    public async Task CAndPythonReadersPrintTheSameDocumentAsTheDotnetDump()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", SegmentRoundTripTests.AllTypes());
        SegmentRoundTripTests.StageAllTypes(writer);
        writer.PublishWriteResult(new WriteResult(77, IpcQuality.BadNotWritable, 11, 1, 2, 3, "PLC said \"no\""));
        writer.PublishWriteResult(new WriteResult(78, IpcQuality.Good, 14, 4, 5, 6, ""));
        writer.Commit();

        var expected = DotnetDump(writer.Path);
        var fromPython = await RunAsync("python3", [RepoPaths.Combine("ipc-schema", "python", "edgepart_shm.py"), "dump", "--json", "--path", writer.Path]);
        var fromC = await RunAsync(await BuildCReaderAsync(), [writer.Path]);

        AssertSameDocument(expected, fromPython.Output, "python");
        AssertSameDocument(expected, fromC.Output, "c");
    }

    [Fact]
    public async Task CAndPythonReadersNameTheFileAndProblemOfABadSegment()
    {
        using var scope = new ShmScope();
        var path = scope.SegmentPath("bad");
        await File.WriteAllTextAsync(path, "this is not a segment, only text\n");
        var fromPython = await RunAsync("python3", [RepoPaths.Combine("ipc-schema", "python", "edgepart_shm.py"), "dump", "--path", path], expectSuccess: false);
        var fromC = await RunAsync(await BuildCReaderAsync(), [path], expectSuccess: false);
        Assert.Equal(1, fromPython.ExitCode);
        Assert.Equal(1, fromC.ExitCode);
        Assert.Contains(path + ": wrong magic", fromPython.Error);
        Assert.Contains(path + ": wrong magic", fromC.Error);
    }

    [Fact]
    public async Task CAndPythonReadersReadOneTagUnderItsSlotVersionAsTheDotnetReaderDoes()
    {
        using var scope = new ShmScope();
        var layout = SegmentLayout.Create([new TagDescriptor("flag", IpcDataType.Bool), new TagDescriptor("speed", IpcDataType.Float64, ArrayLength: 3)]);
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", layout);
        writer.SetBool(0, true);
        writer.Commit();
        writer.SetFloat64(1, 0, 1.5);
        writer.SetFloat64(1, 2, -2.25);
        writer.SetSample(1, IpcQuality.UncertainLastUsableValue, 1_700_000_000_000_000_001);
        writer.Commit();
        using var reader = SegmentReader.OpenPath(writer.Path);
        Assert.True(reader.TryReadTag(1, new byte[24], out var sample));

        var fromC = await RunAsync(await BuildCReaderAsync(), [writer.Path, "--tag", "speed"]);
        var fromPython = await RunAsync("python3", [PythonReader, "tag", "--path", writer.Path, "speed"]);

        foreach (var output in new[] { fromC.Output, fromPython.Output })
        {
            using var document = JsonDocument.Parse(output);
            var tag = document.RootElement;
            Assert.Equal("speed", tag.GetProperty("name").GetString());
            Assert.Equal(sample.Version, tag.GetProperty("version").GetUInt32());
            Assert.Equal(IpcQuality.UncertainLastUsableValue, tag.GetProperty("quality").GetUInt32());
            Assert.Equal(1_700_000_000_000_000_001, tag.GetProperty("sourceTimestampNs").GetInt64());
            Assert.Equal([1.5, 0, -2.25], tag.GetProperty("value").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        }

        Assert.NotEqual(reader.TagVersion(0), sample.Version);
        Assert.Equal(5, (await RunAsync(await BuildCReaderAsync(), [writer.Path, "--tag", "nope"], expectSuccess: false)).ExitCode);
        Assert.Equal(5, (await RunAsync("python3", [PythonReader, "tag", "--path", writer.Path, "nope"], expectSuccess: false)).ExitCode);
    }

    private static string PythonReader => RepoPaths.Combine("ipc-schema", "python", "edgepart_shm.py");

    [Fact]
    public async Task CReaderWaitsCountedInTheWaitersFileAndACommitWakesIt()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", SegmentLayout.Create([new TagDescriptor("x", IpcDataType.Int32)]));
        writer.Commit();
        using var reader = SegmentReader.OpenPath(writer.Path);
        var seen = reader.ChangeSequence;
        using var waiter = ChildProcess.Start(await BuildCReaderAsync(), [writer.Path, "--wait-change", seen.ToString(), "30000"]);
        await waiter.WaitForLineAsync("waiting");
        // The C reader counts itself before it sleeps; only then does a commit owe it a FUTEX_WAKE. Nothing signals
        // the count but the count itself.
        await Eventually.PollAsync(() => WaiterCountOf(writer.Path) != 0, "the C reader counted in the waiters file");

        Assert.Equal(1u, WaiterCountOf(writer.Path));
        var wakes = writer.WakesIssued;
        writer.SetInt32(0, 42);
        writer.Commit();

        var printed = ulong.Parse(await waiter.WaitForLineAsync(""));
        Assert.Equal(0, await waiter.WaitForExitAsync());
        Assert.True(printed > seen);
        Assert.Equal(wakes + 1, writer.WakesIssued);
        Assert.Equal(0u, WaiterCountOf(writer.Path));
    }

    [Fact]
    public async Task CReaderWaitEndsAtItsTimeoutWhenNothingChanges()
    {
        using var scope = new ShmScope();
        using var writer = SegmentWriter.Create(scope.Directory, scope.Partition, "dev", SegmentLayout.Create([new TagDescriptor("x", IpcDataType.Int32)]));
        using var reader = SegmentReader.OpenPath(writer.Path);

        var result = await RunAsync(await BuildCReaderAsync(), [writer.Path, "--wait-change", reader.ChangeSequence.ToString(), "50"], expectSuccess: false);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("no change within 50 ms", result.Error);
        Assert.Equal(0u, WaiterCountOf(writer.Path));
    }

    [Fact]
    public async Task TheCHeaderAloneCompilesUnderStrictC11()
    {
        // A reader of its own: only the header, strict ISO C11, every warning an error.
        var source = Path.Combine(_buildDirectory, "only_header.c");
        await File.WriteAllTextAsync(source, $$"""
            #include "{{RepoPaths.Combine("ipc-schema", "c", "edgepart_shm.h")}}"
            int main(void) { return sizeof(struct ep_header) == EP_HEADER_SIZE ? 0 : 1; }
            """);
        var output = Path.Combine(_buildDirectory, "only_header");

        await RunAsync("cc", ["-std=c11", "-pedantic", "-Wall", "-Wextra", "-Werror", "-o", output, source]);

        Assert.Equal(0, (await RunAsync(output, [])).ExitCode);
    }

    private static uint WaiterCountOf(string segmentPath) =>
        BitConverter.ToUInt32(File.ReadAllBytes(SegmentNames.WaitersPath(segmentPath)), 0);

    internal static string DotnetDump(string path)
    {
        using var reader = SegmentReader.OpenPath(path);
        var snapshot = reader.CreateSnapshot();
        Assert.True(reader.TryReadSnapshot(snapshot));
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            SegmentJson.Write(json, path, reader.ReadWriterInfo(), snapshot);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Same properties and values; numbers compared by value, so 0.1 and 0.10000000000000001 agree.</summary>
    internal static void AssertSameDocument(string expected, string actual, string who)
    {
        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(actual);
        Compare(a.RootElement, b.RootElement, who);
    }

    private static void Compare(JsonElement expected, JsonElement actual, string where)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{where}: {expected.ValueKind} vs {actual.ValueKind} ({actual})");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(p => p.Name).Where(n => n != "liveness").Order().ToArray();
                Assert.Equal(names, actual.EnumerateObject().Select(p => p.Name).Where(n => n != "liveness").Order().ToArray());
                foreach (var name in names)
                {
                    Compare(expected.GetProperty(name), actual.GetProperty(name), $"{where}.{name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{where}: array length");
                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    Compare(expected[i], actual[i], $"{where}[{i}]");
                }

                break;
            case JsonValueKind.Number:
                if (expected.TryGetInt64(out var x) && actual.TryGetInt64(out var y))
                {
                    Assert.True(x == y, $"{where}: {x} vs {y}");
                }
                else if (expected.TryGetUInt64(out var ux) && actual.TryGetUInt64(out var uy))
                {
                    Assert.True(ux == uy, $"{where}: {ux} vs {uy}");
                }
                else
                {
                    Assert.True(expected.GetDouble() == actual.GetDouble(), $"{where}: {expected} vs {actual}");
                }

                break;
            case JsonValueKind.String:
                Assert.True(expected.GetString() == actual.GetString(), $"{where}: '{expected.GetString()}' vs '{actual.GetString()}'");
                break;
        }
    }

    private async Task<string> BuildCReaderAsync()
    {
        var output = Path.Combine(_buildDirectory, "edgepart_shm_dump");
        if (!File.Exists(output))
        {
            var source = RepoPaths.Combine("ipc-schema", "c", "edgepart_shm_dump.c");
            await RunAsync("cc", ["-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", output, source, "-lm"]);
        }

        return output;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, string[] arguments, bool expectSuccess = true)
    {
        using var child = ChildProcess.Start(file, arguments);
        var lines = new StringBuilder();
        var exit = child.WaitForExitAsync();
        try
        {
            while (true)
            {
                lines.AppendLine(await child.WaitForLineAsync(""));
            }
        }
        catch (InvalidOperationException)
        {
            // stdout ended.
        }

        var code = await exit;
        if (expectSuccess)
        {
            Assert.True(code == 0, $"{file} exited {code}: {child.StandardError}");
        }

        return (code, lines.ToString(), child.StandardError);
    }
}
