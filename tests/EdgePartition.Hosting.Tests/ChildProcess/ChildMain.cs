using EdgePartition.Hosting.Cycles;
using EdgePartition.Hosting.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Tests.ChildProcess;

/// <summary>
/// `dotnet exec EdgePartition.Hosting.Tests.dll partition-child PARTITION`: a real partition process built by
/// <see cref="PartitionHost"/> from its real environment (NOTIFY_SOCKET, WATCHDOG_USEC, JOURNAL_STREAM), with a
/// 10 ms collector-like cycle. Commands on stdin: "hang" blocks the cycle as a stuck device call would, "resume"
/// releases it. The test runner never calls this.
/// </summary>
public static class ChildMain
{
    public const string Verb = "partition-child";

    public static int Main(string[] args)
    {
        if (args.Length != 2 || args[0] != Verb)
        {
            Console.Error.WriteLine($"usage: {Verb} PARTITION (started by PartitionProcessTests)");
            return 64;
        }

        var builder = PartitionHost.CreateBuilder(new PartitionHostOptions { Identity = new ProcessIdentity(args[1], "collector-sim") });
        builder.Services.AddSingleton<HangSwitch>();
        builder.Services.AddHostedService<HungCollectorService>();
        builder.Build().Run();
        return 0;
    }
}

internal sealed class HangSwitch : IDisposable
{
    public ManualResetEventSlim Running { get; } = new(initialState: true);

    public void Dispose() => Running.Dispose();
}

internal sealed partial class HungCollectorService(CycleLoops cycles, HangSwitch hang, ILogger<HungCollectorService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var commands = new Thread(ReadCommands) { IsBackground = true, Name = "stdin commands" };
        commands.Start();
        var loop = cycles.Create(
            new CycleOptions { Name = "collector", Period = TimeSpan.FromMilliseconds(10), HealthTimeout = TimeSpan.FromMilliseconds(300) },
            CycleWork.From(_ => hang.Running.Wait(stoppingToken)));
        return loop.RunAsync(stoppingToken);
    }

    private void ReadCommands()
    {
        while (Console.ReadLine() is { } command)
        {
            using (logger.BeginDeviceScope("plc1"))
            {
                if (command == "hang")
                {
                    LogHanging(logger);
                    hang.Running.Reset();
                }
                else if (command == "resume")
                {
                    LogResuming(logger);
                    hang.Running.Set();
                }
            }
        }
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "device call stuck: the cycle hangs")]
    private static partial void LogHanging(ILogger logger);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "device call returned: the cycle resumes")]
    private static partial void LogResuming(ILogger logger);
}
