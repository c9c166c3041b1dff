using System.CommandLine;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart run`. Placeholder until its issue fills it in.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("edgepart run: not built yet");
            return 70;
        });
        return command;
    }
}
