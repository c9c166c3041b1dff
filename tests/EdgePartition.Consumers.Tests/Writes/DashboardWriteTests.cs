using System.Buffers.Binary;
using System.Diagnostics;

namespace EdgePartition.Consumers.Tests.Writes;

/// <summary>
/// The dashboard's edit control in headless chromium against the write fixture's real peers: a confirmed write
/// lands in the snap7 PLC, a refused one and one to a device that is down show their result beside the control,
/// and a read-only token sees no control at all. Screenshots go to artifacts/test-results.
/// </summary>
[Collection(WriteCollection.Name)]
public sealed class DashboardWriteTests(WritePartitionFixture fixture)
{
    [Fact]
    public async Task AConfirmedWriteLandsInThePlcAndShowsDone()
    {
        var line = await RunAsync("writer", "plc1", "setpoint", "2468", "consumers-write-done.png");
        Assert.StartsWith("result done ", line, StringComparison.Ordinal);
        var plc = await fixture.Plc.ReadDbAsync(WritePartitionFixture.Db, WritePartitionFixture.SetpointOffset, 2);
        Assert.Equal(2468, BinaryPrimitives.ReadInt16BigEndian(plc));
    }

    [Fact]
    public async Task ARefusedWriteShowsWhy()
    {
        var line = await RunAsync("writer", "plc1", "setpoint", "99999", "consumers-write-refused.png");
        Assert.StartsWith("result badValue ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWriteToADeviceThatIsDownShowsDeviceDown()
    {
        using var reader = fixture.Client("reader");
        await fixture.Meter.StopAsync();
        string line;
        try
        {
            await WritePartitionFixture.WaitForTagAsync(reader, "meter", "parked", t => t["quality"]!.GetValue<string>() == "bad", "bad while the server is down");
            line = await RunAsync("writer", "meter", "parked", "7", "consumers-write-down.png");
        }
        finally
        {
            await fixture.Meter.RestartAsync();
        }

        Assert.StartsWith("result deviceDown ", line, StringComparison.Ordinal);
        await WritePartitionFixture.WaitForGoodAsync(reader, "meter", "parked");
    }

    [Fact]
    public async Task AReadOnlyTokenSeesNoEditControl()
    {
        Assert.Equal("controls 0", await RunAsync("reader", "plc1", "setpoint", "-", "consumers-write-readonly.png"));
        Assert.NotEqual("controls 0", await RunAsync("writer", "plc1", "setpoint", "-", "consumers-write-controls.png"));
    }

    private async Task<string> RunAsync(string token, string device, string tag, string value, string screenshotName)
    {
        var directory = Path.Combine(RepoPaths.PeersDirectory, "browser");
        Assert.True(File.Exists(Path.Combine(directory, "node_modules", "playwright-core", "package.json")),
            "playwright-core is not installed: run tests/peers/install.sh (or install-browser.sh)");
        var screenshot = RepoPaths.Combine("artifacts", "test-results", screenshotName);
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var url = new Uri(fixture.BaseAddress, "/?access_token=" + Uri.EscapeDataString(fixture.Secret(token)));
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "write-check.mjs", url.ToString(), device, tag, value, screenshot })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync().WaitAsync(TestTimeouts.Process);
        await process.WaitForExitAsync().WaitAsync(TestTimeouts.Process);
        var line = stdout.Trim();
        Assert.True(process.ExitCode == 0, $"{line}\n{await stderr}");
        return line;
    }
}
