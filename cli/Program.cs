using System.CommandLine;
using EdgePartition.Cli.Commands;

// `edgepart`: the one executable of a partition. Each sub-command lives in its own file under Commands/.
var root = new RootCommand("EdgePartition: shared-memory edge data service for S7, Modbus TCP and OPC UA devices")
{
    CollectorCommand.Create(),
    SyncCommand.Create(),
    ConsumersCommand.Create(),
    NorthboundCommand.Create(),
    RunCommand.Create(),
    DemoCommand.Create(),
    ShmCommand.Create(),
    ConfigCommand.Create(),
    SystemdCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
