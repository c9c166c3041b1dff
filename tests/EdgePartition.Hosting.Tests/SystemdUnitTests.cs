using EdgePartition.Hosting.Systemd.Units;

namespace EdgePartition.Hosting.Tests;

/// <summary>The generated units pass Debian's `systemd-analyze verify` and start the right command lines.</summary>
public sealed class SystemdUnitTests : IDisposable
{
    private const string SystemdAnalyze = "/usr/bin/systemd-analyze";

    private readonly string _directory = Directory.CreateTempSubdirectory("epunits").FullName;
    private readonly string _executable;

    public SystemdUnitTests()
    {
        // verify insists the ExecStart binary exists and is executable; this stub prints its arguments instead.
        _executable = Path.Combine(_directory, "edgepart");
        File.WriteAllText(_executable, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        File.SetUnixFileMode(_executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static PartitionUnitsRequest Line1 => new()
    {
        Partition = "line1",
        Protocols = ["s7", "modbus", "opcua", "sim"],
        CollectorRealtimePriority = 40,
        SyncRealtimePriority = 45,
    };

    [Fact]
    public async Task EveryUnitOfAPartitionPassesSystemdAnalyzeVerify()
    {
        var units = Path.Combine(_directory, "units");
        Write(units, SystemdUnits.ForPartition(Line1, new SystemdUnitOptions { Executable = _executable }));

        string[] instances =
        [
            SystemdUnits.Target("line1"),
            SystemdUnits.Sync("line1"),
            SystemdUnits.Consumers("line1"),
            .. Line1.Protocols.Select(protocol => SystemdUnits.Collector("line1", protocol)),
        ];
        foreach (var unit in instances)
        {
            var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync(
                SystemdAnalyze,
                ["verify", "--man=no", unit],
                new Dictionary<string, string> { ["SYSTEMD_UNIT_PATH"] = units + ":" });

            // Unknown keys are only warnings (exit 0), so stderr must be empty too.
            Assert.True(exitCode == 0 && stderr.Length == 0, $"{unit}: exit {exitCode}\n{stdout}{stderr}");
        }
    }

    [Fact]
    public async Task VerifyCatchesABrokenUnit()
    {
        var units = Path.Combine(_directory, "broken");
        var sync = SystemdUnits.Templates(new SystemdUnitOptions { Executable = Path.Combine(_directory, "missing") })[1];
        Write(units, [sync with { Content = sync.Content.Replace("WatchdogSec=", "WatchdogSeconds=", StringComparison.Ordinal) }]);

        var (exitCode, _, stderr) = await ProcessRunner.RunAsync(
            SystemdAnalyze, ["verify", "--man=no", SystemdUnits.Sync("p")], new Dictionary<string, string> { ["SYSTEMD_UNIT_PATH"] = units + ":" });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("WatchdogSeconds", stderr);
        Assert.Contains("is not executable", stderr);
    }

    [Theory]
    [InlineData("line1.s7", "line1", "s7")]
    [InlineData("hall-2_west.opcua", "hall-2_west", "opcua")]
    public async Task TheCollectorTemplateSplitsItsInstanceIntoPartitionAndProtocol(string instance, string partition, string protocol)
    {
        var collector = SystemdUnits.Templates(new SystemdUnitOptions { Executable = _executable, ConfigDirectory = "/etc/edgepart" })[0];
        var execStart = collector.Content.Split('\n').Single(line => line.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..];

        // What systemd hands to execve: specifiers resolved, "$$" and "%%" unescaped, the single quotes grouping.
        var resolved = execStart.Replace("%i", instance, StringComparison.Ordinal).Replace("$$", "$", StringComparison.Ordinal).Replace("%%", "%", StringComparison.Ordinal);
        var script = resolved.Split('\'')[1];
        var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync("/bin/sh", ["-c", script, _executable, instance]);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal($"collector\n/etc/edgepart/{partition}/partition.xml\n--protocol\n{protocol}\n", stdout);
    }

    [Fact]
    public void TheTargetWantsExactlyThePartitionsProcesses()
    {
        var dropIns = SystemdUnits.PartitionDropIns(new PartitionUnitsRequest { Partition = "p1", Protocols = ["modbus"], HasSync = false });

        var target = Assert.Single(dropIns, file => file.RelativePath == "edgepart@p1.target.d/50-partition.conf");
        Assert.Contains("Wants=edgepart-collector@p1.modbus.service edgepart-consumers@p1.service\n", target.Content);
        var collector = Assert.Single(dropIns, file => file.RelativePath == "edgepart-collector@p1.modbus.service.d/50-partition.conf");
        Assert.Contains("PartOf=edgepart@p1.target", collector.Content);
        Assert.DoesNotContain("LimitRTPRIO", collector.Content);
    }

    [Fact]
    public void RealtimeIsAllowedThroughLimitRtprioWithoutCapabilities()
    {
        var files = SystemdUnits.ForPartition(Line1, new SystemdUnitOptions());

        var sync = Assert.Single(files, file => file.RelativePath == "edgepart-sync@line1.service.d/50-realtime.conf");
        Assert.Contains("RestrictRealtime=no\nLimitRTPRIO=45\n", sync.Content);
        Assert.Contains("LimitRTPRIO=40", files.Single(file => file.RelativePath == "edgepart-collector@line1.s7.service.d/50-partition.conf").Content);
        Assert.All(SystemdUnits.Templates(new SystemdUnitOptions()).Take(3), template =>
        {
            Assert.Contains("\nCapabilityBoundingSet=\n", template.Content);
            Assert.Contains("\nNoNewPrivileges=yes\n", template.Content);
            Assert.Contains("\nProtectSystem=strict\n", template.Content);
            Assert.Contains("\nType=notify\n", template.Content);
            Assert.Contains("\nRestart=always\n", template.Content);
            Assert.Contains("\nRestartPreventExitStatus=69 73 78\n", template.Content);
            Assert.Contains("\nRestrictRealtime=yes\n", template.Content);
        });
    }

    [Theory]
    [InlineData("line:1")]
    [InlineData("a.b")]
    [InlineData("")]
    public void RejectsPartitionNamesThatCannotBeInstances(string partition)
        => Assert.Throws<ArgumentException>(() => SystemdUnits.PartitionDropIns(new PartitionUnitsRequest { Partition = partition, Protocols = ["s7"] }));

    [Fact]
    public void TheUnitsInDeployAreTheGeneratorsOutputWithDefaults()
    {
        foreach (var template in SystemdUnits.Templates(new SystemdUnitOptions()))
        {
            var deployed = RepoPaths.Combine("deploy", "systemd", template.RelativePath);
            Assert.True(File.Exists(deployed), $"{deployed} is missing: run `edgepart systemd templates --output deploy/systemd`");
            Assert.True(File.ReadAllText(deployed) == template.Content, $"{deployed} differs from the generator: run `edgepart systemd templates --output deploy/systemd`");
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void Write(string directory, IEnumerable<UnitFile> files)
    {
        foreach (var file in files)
        {
            var path = Path.Combine(directory, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
        }
    }
}
