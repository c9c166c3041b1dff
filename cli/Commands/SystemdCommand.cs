using System.CommandLine;
using EdgePartition.Cli.Hosting;
using EdgePartition.Config;
using EdgePartition.Hosting.Systemd.Units;

namespace EdgePartition.Cli.Commands;

/// <summary>
/// `edgepart systemd units PARTITION.xml`: the unit templates and the partition's drop-ins, printed or written
/// into a directory. `edgepart systemd templates`: only the templates (deploy/systemd is that output with the
/// defaults). `edgepart systemd install PARTITION.xml`: what deploy/install.sh does after publishing: the partition
/// files into CONFIG_DIR/NAME/ and the units into /etc/systemd/system.
/// </summary>
internal static class SystemdCommand
{
    public static Command Create()
    {
        var command = new Command("systemd", "Generate the systemd units of a partition");
        command.Subcommands.Add(CreateUnits());
        command.Subcommands.Add(CreateTemplates());
        command.Subcommands.Add(CreateInstall());
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

    private static Command CreateInstall()
    {
        var partitionFile = new Argument<FileInfo>("partition") { Description = "the partition XML file" };
        var root = new Option<DirectoryInfo>("--root") { Description = "install under this root instead of / (packaging, tests)", DefaultValueFactory = _ => new DirectoryInfo("/") };
        var locations = new LocationOptions();
        var command = new Command("install", "Copy the partition (with its endpoint files) to CONFIG_DIR/NAME/ and write its units into /etc/systemd/system") { partitionFile, root };
        locations.AddTo(command);
        command.SetAction(parseResult =>
        {
            var source = parseResult.GetRequiredValue(partitionFile).FullName;
            if (PartitionProcess.TryLoad(source, out int exitCode) is not { } config)
            {
                return exitCode;
            }

            var options = locations.Read(parseResult);
            var rootPath = parseResult.GetRequiredValue(root).FullName;
            var target = Rooted(rootPath, options.PartitionFile(config.Name));
            if (!CopyPartition(config, source, target))
            {
                return 1;
            }

            Emit(SystemdUnits.ForPartition(RequestFor(config), options), new DirectoryInfo(Rooted(rootPath, "/etc/systemd/system")));
            Console.WriteLine();
            Console.WriteLine($"Partition {config.Name} installed. Start it, and at every boot:");
            Console.WriteLine($"  systemctl daemon-reload && systemctl enable --now {SystemdUnits.Target(config.Name)}");
            Console.WriteLine($"  systemctl status 'edgepart*@{config.Name}*'      journalctl -f -u 'edgepart*@{config.Name}*'");
            return 0;
        });
        return command;
    }

    /// <summary>The partition file becomes partition.xml; endpoint files keep their place relative to it.</summary>
    private static bool CopyPartition(PartitionConfig config, string source, string target)
    {
        var sourceDirectory = Path.GetDirectoryName(source)!;
        var targetDirectory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(targetDirectory);
        File.Copy(source, target, overwrite: true);
        Console.WriteLine($"wrote {target}");
        foreach (var endpointFile in config.EndpointFiles)
        {
            var relative = Path.GetRelativePath(sourceDirectory, endpointFile.Path);
            if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                Console.Error.WriteLine($"{endpointFile.Path}: endpoint files must be in the partition file's directory or below it to be installed");
                return false;
            }

            var destination = Path.Combine(targetDirectory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(endpointFile.Path, destination, overwrite: true);
            Console.WriteLine($"wrote {destination}");
        }

        return true;
    }

    private static string Rooted(string root, string absolutePath) => Path.Combine(root, absolutePath.TrimStart('/'));

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
