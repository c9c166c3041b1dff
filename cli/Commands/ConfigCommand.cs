using System.CommandLine;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart config`. Placeholder until its issue fills it in.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("edgepart config: not built yet");
            return 70;
        });
        return command;
    }
}
