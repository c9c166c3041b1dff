using System.CommandLine;
using EdgePartition.Cli.Collector;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart collector PARTITION.xml --protocol s7|modbus|opcua|sim`: polls every device of one protocol.</summary>
internal static class CollectorCommand
{
    public static Command Create()
    {
        var partitionFile = new Argument<FileInfo>("partition") { Description = "the partition XML file" };
        var protocol = new Option<string>("--protocol", "-p")
        {
            Description = "which devices of the partition this collector runs",
            Required = true,
        };
        protocol.AcceptOnlyFromAmong("s7", "modbus", "opcua", "sim");
        var command = new Command("collector", "Poll every device of one protocol into its shared-memory segment and execute its write requests")
        {
            partitionFile,
            protocol,
        };
        command.SetAction((parseResult, cancellationToken) => CollectorProcess.RunAsync(
            parseResult.GetRequiredValue(partitionFile).FullName, parseResult.GetRequiredValue(protocol), cancellationToken));
        return command;
    }
}
