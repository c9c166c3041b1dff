using System.CommandLine;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart demo`. Placeholder until its issue fills it in.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("edgepart demo: not built yet");
            return 70;
        });
        return command;
    }
}
