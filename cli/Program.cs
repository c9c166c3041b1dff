using System.CommandLine;
using EdgePartition.Cli.Commands;
using EdgePartition.Cli.Hosting;

// A child of `edgepart run` dies with it (see SupervisorLink); started by hand, nothing changes.
if (!SupervisorLink.Attach(out var hangup))
{
    return SupervisorLink.ExitSupervisorGone;
}

using var keepHangupHandler = hangup;

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
    OpcUaCommand.Create(),
    TokenCommand.Create(),
};

var exitCode = await root.Parse(args).InvokeAsync();

// A full segment directory stops whatever part met it; restarting cannot help until someone frees space, so say so in
// one line and exit with the code the supervisor (and systemd's RestartPreventExitStatus) leaves down.
if (EdgePartition.Ipc.SegmentSpaceException.Raised)
{
    await Console.Error.WriteLineAsync("edgepart: stopped because the segment directory is full (see the error above)");
    return EdgePartition.Ipc.SegmentSpaceException.ExitCode;
}

return exitCode;
