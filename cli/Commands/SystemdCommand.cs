using System.CommandLine;
using EdgePartition.Cli.Hosting;
using EdgePartition.Config;
using EdgePartition.Hosting.Systemd.Units;

namespace EdgePartition.Cli.Commands;

/// <summary>
/// `edgepart systemd units PARTITION.xml`: the unit templates and the partition's drop-ins, printed or written
/// into a directory (deploy/install.sh writes them into /etc/systemd/system). `edgepart systemd templates` prints
/// only the templates (deploy/systemd is that output with the defaults).
/// </summary>
internal static class SystemdCommand
{
    public static Command Create()
    {
        var command = new Command("systemd", "Generate the systemd units of a partition");
        command.Subcommands.Add(CreateUnits());
        command.Subcommands.Add(CreateTemplates());
        return command;
    }

    private static Command CreateUnits()
    {
        var partitionFile = new Argument<FileInfo>("partition") { Description = "the partition XML file" };
        var locations = new LocationOptions();
        var command = new Command("units", "Print (or write with --output) the unit templates and this partition's drop-ins") { partitionFile };
        locations.AddTo(command);
        command.SetAction(parseResult =>
        {
            if (PartitionProcess.TryLoad(parseResult.GetRequiredValue(partitionFile).FullName, out int exitCode) is not { } config)
            {
                return exitCode;
            }

            var files = SystemdUnits.ForPartition(RequestFor(config), locations.Read(parseResult));
            Emit(files, parseResult.GetValue(locations.Output));
            if (parseResult.GetValue(locations.Output) is not null)
            {
                Console.WriteLine();
                Console.WriteLine($"Copy the partition to {locations.Read(parseResult).PartitionFile(config.Name)} (with its endpoint files), then:");
                Console.WriteLine($"  systemctl daemon-reload && systemctl enable --now {SystemdUnits.Target(config.Name)}");
            }

            return 0;
        });
        return command;
    }

    private static Command CreateTemplates()
    {
        var locations = new LocationOptions();
        var command = new Command("templates", "Print (or write with --output) the unit templates shared by all partitions");
        locations.AddTo(command);
        command.SetAction(parseResult =>
        {
            Emit(SystemdUnits.Templates(locations.Read(parseResult)), parseResult.GetValue(locations.Output));
            return 0;
        });
        return command;
    }

    internal static PartitionUnitsRequest RequestFor(PartitionConfig config)
    {
        var protocols = new List<string>();
        foreach (var device in config.Devices)
        {
            var name = ProtocolArgument(device.Protocol);
            if (!protocols.Contains(name))
            {
                protocols.Add(name);
            }
        }

        return new PartitionUnitsRequest
        {
            Partition = config.Name,
            Protocols = protocols,
            HasSync = config.Sync is not null,
            CollectorRealtimePriority = config.Realtime.Collector?.Priority,
            SyncRealtimePriority = config.Realtime.Sync?.Priority,
        };
    }

    /// <summary>The spelling of `edgepart collector --protocol`.</summary>
    private static string ProtocolArgument(Protocol protocol) => protocol switch
    {
        Protocol.S7 => "s7",
        Protocol.Modbus => "modbus",
        Protocol.OpcUa => "opcua",
        Protocol.Sim => "sim",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "no collector for this protocol"),
    };

    private static void Emit(IReadOnlyList<UnitFile> files, DirectoryInfo? output)
    {
        foreach (var file in files)
        {
            if (output is null)
            {
                Console.WriteLine($"### {file.RelativePath}");
                Console.Write(file.Content);
                Console.WriteLine();
                continue;
            }

            var path = Path.Combine(output.FullName, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
            Console.WriteLine($"wrote {path}");
        }
    }

    /// <summary>Where the installation puts things, shared by both sub-commands.</summary>
    private sealed class LocationOptions
    {
        private static readonly SystemdUnitOptions Defaults = new();

        public Option<DirectoryInfo?> Output { get; } = new("--output") { Description = "write the files under this directory (e.g. /etc/systemd/system) instead of printing them" };

        public Option<string> Executable { get; } = new("--executable") { Description = "path of the installed edgepart", DefaultValueFactory = _ => Defaults.Executable };

        public Option<string> ConfigDirectory { get; } = new("--config-dir") { Description = "partitions live in DIR/PARTITION/partition.xml", DefaultValueFactory = _ => Defaults.ConfigDirectory };

        public Option<string> User { get; } = new("--user") { Description = "service user that owns the segments", DefaultValueFactory = _ => Defaults.User };

        public Option<string> Group { get; } = new("--group") { Description = "service group; members may read the segments", DefaultValueFactory = _ => Defaults.Group };

        public void AddTo(Command command)
        {
            command.Options.Add(Output);
            command.Options.Add(Executable);
            command.Options.Add(ConfigDirectory);
            command.Options.Add(User);
            command.Options.Add(Group);
        }

        public SystemdUnitOptions Read(ParseResult parseResult) => new()
        {
            Executable = parseResult.GetRequiredValue(Executable),
            ConfigDirectory = parseResult.GetRequiredValue(ConfigDirectory).TrimEnd('/'),
            User = parseResult.GetRequiredValue(User),
            Group = parseResult.GetRequiredValue(Group),
        };
    }
}
