using System.CommandLine;

namespace EdgePartition.Cli.Commands;

/// <summary>
/// `edgepart opcua ...`: explore an OPC UA server before writing a config. Each sub-command lives in its own
/// OpcUa*Command.cs file with a static Create(); adding one is one line in <see cref="Subcommands"/>.
/// </summary>
internal static class OpcUaCommand
{
    public static Command Create()
    {
        var command = new Command("opcua", "Explore an OPC UA server: its endpoints, address space and values, and write an endpoint file from it");
        foreach (var subcommand in Subcommands())
        {
            command.Subcommands.Add(subcommand);
        }

        return command;
    }

    private static IEnumerable<Command> Subcommands() =>
    [
        OpcUaEndpointsCommand.Create(),
        OpcUaBrowseCommand.Create(),
        OpcUaReadCommand.Create(),
        OpcUaDiscoverCommand.Create(),
        OpcUaTrustCommand.Create(),
    ];
}
