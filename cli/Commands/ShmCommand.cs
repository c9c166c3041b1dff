using System.CommandLine;
using EdgePartition.Cli.Shm;
using EdgePartition.Ipc;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart shm ls | dump | watch`: look inside the shared-memory segments of a host.</summary>
internal static class ShmCommand
{
    public static Command Create()
    {
        var directory = new Option<string>("--dir")
        {
            Description = "Segment directory",
            DefaultValueFactory = _ => SegmentNames.DefaultDirectory,
            Recursive = true,
        };
        var command = new Command("shm", "Show shared-memory segments: writer liveness, epoch, counters, tag values")
        {
            directory,
            CreateList(directory),
            CreateDump(directory),
            CreateWatch(directory),
        };
        return command;
    }

    private static Command CreateList(Option<string> directory)
    {
        var partition = new Argument<string?>("partition") { Description = "Only this partition", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("ls", "List segments and write queues with writer liveness") { partition };
        command.SetAction(result => ShmList.Run(result.GetValue(directory)!, result.GetValue(partition), Console.Out));
        return command;
    }

    private static Command CreateDump(Option<string> directory)
    {
        var partition = new Argument<string>("partition");
        var segment = new Argument<string>("segment");
        var json = new Option<bool>("--json") { Description = "Print the stable JSON document (the C and Python readers print the same)" };
        var command = new Command("dump", "Print one consistent snapshot of a segment") { partition, segment, json };
        command.SetAction(result => ShmDump.Run(
            result.GetValue(directory)!, result.GetValue(partition)!, result.GetValue(segment)!, result.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    private static Command CreateWatch(Option<string> directory)
    {
        var partition = new Argument<string>("partition");
        var segment = new Argument<string>("segment");
        var count = new Option<int>("--count") { Description = "Stop after this many changes (0 = until Ctrl+C)" };
        var tags = new Option<string[]>("--tag") { Description = "Only these tags", AllowMultipleArgumentsPerToken = true };
        var command = new Command("watch", "Print tag values each time the writer commits (futex wake-up, no polling)") { partition, segment, count, tags };
        command.SetAction((result, cancellation) => ShmWatch.RunAsync(
            result.GetValue(directory)!, result.GetValue(partition)!, result.GetValue(segment)!, result.GetValue(count),
            result.GetValue(tags) ?? [], Console.Out, Console.Error, cancellation));
        return command;
    }
}
