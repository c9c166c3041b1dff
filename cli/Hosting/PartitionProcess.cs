using EdgePartition.Config;
using EdgePartition.Hosting;
using EdgePartition.Hosting.Logging;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Cli.Hosting;

/// <summary>
/// What every partition command (collector, sync, consumers, run) does first: load and check the partition file,
/// printing every problem as file:line:column and returning EX_CONFIG before anything starts, and derive the host
/// options (identity, logging) from it. One place, so every process reads its config the same way.
/// </summary>
internal static class PartitionProcess
{
    /// <summary>Loads the partition; on problems prints them all to stderr and returns null.</summary>
    public static PartitionConfig? TryLoad(string path, out int exitCode)
    {
        try
        {
            var config = PartitionConfigLoader.Load(path);
            exitCode = 0;
            return config;
        }
        catch (ConfigException e)
        {
            foreach (var problem in e.Problems)
            {
                Console.Error.WriteLine(problem.ToString());
            }

            exitCode = ConfigException.ExitCode;
            return null;
        }
    }

    public static PartitionHostOptions HostOptions(PartitionConfig config, string process) => new()
    {
        Identity = new ProcessIdentity(config.Name, process),
        Logging = new PartitionLoggingOptions
        {
            MinimumLevel = ToLogLevel(config.Logging.Level),
            File = config.Logging.File is { } file
                ? new RollingFileOptions
                {
                    Path = file.Path,
                    RollDaily = file.RollingInterval == LogRollingInterval.Day,
                    MaxFileBytes = file.SizeLimitBytes,
                    RetainedFiles = file.RetainedFiles,
                }
                : null,
        },
    };

    private static LogLevel ToLogLevel(LogLevelSetting level) => level switch
    {
        LogLevelSetting.Verbose => LogLevel.Trace,
        LogLevelSetting.Debug => LogLevel.Debug,
        LogLevelSetting.Information => LogLevel.Information,
        LogLevelSetting.Warning => LogLevel.Warning,
        LogLevelSetting.Error => LogLevel.Error,
        _ => LogLevel.Critical,
    };
}
