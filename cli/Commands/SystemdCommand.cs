using System.CommandLine;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart systemd`. Placeholder until its issue fills it in.</summary>
internal static class SystemdCommand
{
    public static Command Create()
    {
        var command = new Command("systemd", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("edgepart systemd: not built yet");
            return 70;
        });
        return command;
    }
}
