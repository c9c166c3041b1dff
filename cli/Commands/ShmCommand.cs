using System.CommandLine;

namespace EdgePartition.Cli.Commands;

/// <summary>`edgepart shm`. Placeholder until its issue fills it in.</summary>
internal static class ShmCommand
{
    public static Command Create()
    {
        var command = new Command("shm", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("edgepart shm: not built yet");
            return 70;
        });
        return command;
    }
}
