using System.CommandLine;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart sync`. Placeholder until its issue fills it in.</summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var command = new Command("sync", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("edgepart sync: not built yet");
            return 70;
        });
        return command;
    }
}
