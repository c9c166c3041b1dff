using System.CommandLine;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart collector`. Placeholder until its issue fills it in.</summary>
internal static class CollectorCommand
{
    public static Command Create()
    {
        var command = new Command("collector", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("edgepart collector: not built yet");
            return 70;
        });
        return command;
    }
}
