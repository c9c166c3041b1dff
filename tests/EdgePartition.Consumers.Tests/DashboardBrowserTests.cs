using System.Diagnostics;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Tests;

/// <summary>
/// The dashboard in a real browser: Debian's chromium, headless, driven by playwright-core (tests/peers/browser,
/// installed by tests/peers/install-browser.sh). The value is changed in the device's segment by its writer, the
/// way a collector publishes a PLC value, and must appear on the page through the websocket.
/// </summary>
public sealed class DashboardBrowserTests
{
    [Fact]
    public async Task PageShowsTheDevicesAndAValueChangedInThePlc()
    {
        await using var partition = await TestPartition.StartAsync();
        partition.Commit("plc1", w => w.SetInt32(w.Layout.IndexOf("counter"), 1));
        partition.Commit("sync", w =>
        {
            w.SetBool(w.Layout.IndexOf("alive.plc1"), true);
            w.SetBool(w.Layout.IndexOf("alive.plc2"), true);
        });
        var screenshot = RepoPaths.Combine("artifacts", "test-results", "consumers-dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        await using var browser = BrowserScript.Start(partition.BaseAddress, "plc1", "counter", "4242", screenshot);
        Assert.Equal("ready", await browser.ReadLineAsync());

        partition.Commit("plc1", w =>
        {
            w.SetInt32(w.Layout.IndexOf("counter"), 4242);
            w.SetFloat32(w.Layout.IndexOf("speed"), 1450.5f);
            w.SetString(w.Layout.IndexOf("recipe"), "Roggen 3");
        });
        partition.Commit("sync", w =>
        {
            w.SetUInt32(w.Layout.IndexOf("heartbeat"), 17);
            w.SetRaw(w.Layout.IndexOf("image"), 0, [1, 2, 3, 4, 0x10, 0x20, 0xff]);
            w.SetUInt8(w.Layout.IndexOf("request.start.state"), 1);
            w.SetDateTime(w.Layout.IndexOf("request.start.requested_at"), UnixTime.NowNs());
        });
        await browser.WriteLineAsync("go");

        Assert.Equal("seen", await browser.ReadLineAsync());
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is missing or empty");
    }

    /// <summary>tests/peers/browser/dashboard-check.mjs in node, killed with its browser if the test ends early.</summary>
    internal sealed class BrowserScript : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _stderr = new();

        private BrowserScript(Process process) => _process = process;

        public static BrowserScript Start(Uri url, string device, string tag, string expected, string screenshot)
        {
            var directory = Path.Combine(RepoPaths.PeersDirectory, "browser");
            Assert.True(File.Exists(Path.Combine(directory, "node_modules", "playwright-core", "package.json")),
                "playwright-core is not installed: run tests/peers/install.sh (or install-browser.sh)");
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = directory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "dashboard-check.mjs", url.ToString(), device, tag, expected, screenshot })
            {
                start.ArgumentList.Add(argument);
            }

            var script = new BrowserScript(Process.Start(start)!);
            script._process.ErrorDataReceived += (_, e) =>
            {
                lock (script._stderr)
                {
                    script._stderr.AppendLine(e.Data);
                }
            };
            script._process.BeginErrorReadLine();
            return script;
        }

        public async Task<string?> ReadLineAsync()
        {
            var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TestTimeouts.Process);
            if (line is null || line.StartsWith("error", StringComparison.Ordinal))
            {
                string errors;
                lock (_stderr)
                {
                    errors = _stderr.ToString();
                }

                Assert.Fail($"browser script: {line ?? "exited"}\n{errors}");
            }

            return line;
        }

        public async Task WriteLineAsync(string line)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
