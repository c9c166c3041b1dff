using System.CommandLine;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart consumers`. Placeholder until its issue fills it in.</summary>
internal static class ConsumersCommand
{
    public static Command Create()
    {
        var command = new Command("consumers", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("edgepart consumers: not built yet");
            return 70;
        });
        return command;
    }
}
