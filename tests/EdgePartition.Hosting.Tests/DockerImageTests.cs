using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace EdgePartition.Hosting.Tests;

/// <summary>
/// Builds the repository's Dockerfile for real (deploy/docker/build-local.sh: buildah, no engine, local stand-ins
/// for Microsoft's base images) and runs the image's own command on a mounted partition directory: the partition
/// comes up as the non-root user, /healthz answers 200 on the host, and the image's HEALTHCHECK passes inside it.
/// </summary>
[Trait("Category", "Image")]
public sealed class DockerImageTests : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TestTimeouts.Scaled(TimeSpan.FromMinutes(25));
    private static readonly TimeSpan Patience = TestTimeouts.Process;

    private readonly string _tag = $"localhost/edgepart:test-{Environment.ProcessId}";
    private readonly string _partition = TestNames.Partition("img");
    private readonly string _directory = Directory.CreateTempSubdirectory("epimage").FullName;
    private readonly System.Text.StringBuilder _output = new();
    private string? _container;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await Buildah("rm", _container);
        }

        await Buildah("rmi", _tag);
        Directory.Delete(_directory, recursive: true);
        foreach (var file in Directory.EnumerateFiles("/dev/shm", $"*edgepart.{_partition}.*"))
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TheImageBuildsAndRunsAPartitionHealthyAsItsNonRootUser()
    {
        var build = await ProcessRunner.RunAsync(RepoPaths.Combine("deploy", "docker", "build-local.sh"), [_tag], timeout: BuildTimeout);
        Assert.True(build.ExitCode == 0, $"image build failed:\n{Tail(build.Stdout)}\n{Tail(build.Stderr)}");

        using var image = JsonDocument.Parse((await Buildah("inspect", "--type", "image", _tag)).Stdout);
        var config = image.RootElement.GetProperty("Docker").GetProperty("config");
        Assert.Equal("1654", config.GetProperty("User").GetString());
        var command = config.GetProperty("Entrypoint").EnumerateArray().Concat(config.GetProperty("Cmd").EnumerateArray()).Select(e => e.GetString()!).ToArray();
        Assert.Equal(["/opt/edgepart/edgepart", "run", "/etc/edgepart/partition.xml"], command);
        var healthCheck = config.GetProperty("Healthcheck").GetProperty("Test").EnumerateArray().Skip(1).Select(e => e.GetString()!).ToArray();
        Assert.Contains("/healthz", string.Join(' ', healthCheck));

        var port = FreeTcpPort();
        WritePartition(port);
        _container = (await Buildah("from", _tag)).Stdout.Trim();
        using var partition = StartInContainer($"{_directory}:/etc/edgepart:ro", command);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await WaitUntilHealthyAsync(http, partition);

            var status = await http.GetStringAsync("/api/status");
            Assert.Contains("\"sim1\"", status);
            var owner = await ProcessRunner.RunAsync("stat", ["-c", "%u", $"/dev/shm/edgepart.{_partition}.sim1"]);
            Assert.Equal("1654", owner.Stdout.Trim());
            var probe = await Buildah(["run", "--isolation", "chroot", "--env", $"EDGEPART_HTTP_PORT={port}", _container, "--", .. healthCheck]);
            Assert.True(probe.ExitCode == 0, $"the image's HEALTHCHECK failed: {probe.Stderr}");

            Signal(RunningPartitionPid(partition), "TERM");
            Assert.True(partition.WaitForExit(Patience), "edgepart run did not stop on SIGTERM");
            Assert.Equal(0, partition.ExitCode);
        }
        finally
        {
            KillTree(partition);
        }
    }

    private void WritePartition(int port)
    {
        // The image runs as uid 1654, not as the test's user: the mounted directory must be world-readable.
        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.WriteAllText(Path.Combine(_directory, "sim.xml"), """
            <simDevices xmlns="urn:edgepartition:sim:1">
              <device name="sim1">
                <pollGroup name="main" cycleMs="100">
                  <tag name="counter" type="int32" generator="counter" periodMs="100" min="0" max="1000"/>
                </pollGroup>
              </device>
            </simDevices>
            """);
        File.WriteAllText(Path.Combine(_directory, "partition.xml"), $"""
            <partition xmlns="urn:edgepartition:partition:1" name="{_partition}" segmentDirectory="/dev/shm">
              <include path="sim.xml"/>
              <consumers>
                <http bind="127.0.0.1" port="{port}"/>
              </consumers>
            </partition>
            """);
    }

    /// <summary>`buildah run` of the image's command with the partition directory mounted, like `docker run -v`.</summary>
    private Process StartInContainer(string volume, string[] command)
    {
        var start = new ProcessStartInfo("buildah") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--storage-driver", "vfs", "run", "--isolation", "chroot", "-v", volume, _container!, "--", .. command])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("buildah did not start");
        // Kept for failure messages, and drained so a chatty partition never blocks on a full pipe.
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Keep(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilHealthyAsync(HttpClient http, Process partition)
    {
        using var giveUp = new CancellationTokenSource(Patience);
        await Eventually.PollAsync(
            async () =>
            {
                Assert.False(partition.HasExited, $"the container's edgepart exited with {(partition.HasExited ? partition.ExitCode : 0)}:\n{_output}");
                try
                {
                    using var response = await http.GetAsync("/healthz", giveUp.Token);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
            },
            healthy => healthy,
            "the container's edgepart answering /healthz with 200",
            Patience);
    }

    /// <summary>The `edgepart run` started by buildah's chroot helper (chroot isolation has no pid namespace).</summary>
    private static int RunningPartitionPid(Process buildah) =>
        Descendants(buildah.Id).First(pid => File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("/opt/edgepart/edgepart\0run\0", StringComparison.Ordinal));

    private static IEnumerable<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && TryReadParent(pid, out var parent))
            {
                parents[pid] = parent;
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var (pid, parent) in parents)
            {
                if (parent == current)
                {
                    found.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return found;
    }

    private static bool TryReadParent(int pid, out int parent)
    {
        parent = 0;
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so parse after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.TryParse(fields[1], out parent);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void KillTree(Process buildah)
    {
        if (buildah.HasExited)
        {
            return;
        }

        foreach (var pid in Descendants(buildah.Id).Reverse())
        {
            EdgepartProcess.KillProcess(pid);
        }

        buildah.Kill(entireProcessTree: true);
    }

    private static void Signal(int pid, string signal) => Process.Start("kill", ["-" + signal, pid.ToString()])!.WaitForExit();

    private static Task<(int ExitCode, string Stdout, string Stderr)> Buildah(params string[] arguments) =>
        ProcessRunner.RunAsync("buildah", ["--storage-driver", "vfs", .. arguments], timeout: TimeSpan.FromMinutes(2));

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
