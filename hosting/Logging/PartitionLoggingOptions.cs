using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Logging;

/// <summary>Logging of a partition process: console or journal, and an optional rolling file.</summary>
public sealed record PartitionLoggingOptions
{
    public LogLevel MinimumLevel { get; init; } = LogLevel.Information;

    public ConsoleLogFormat Console { get; init; } = ConsoleLogFormat.Auto;

    public RollingFileOptions? File { get; init; }

    /// <summary>Resolves <see cref="ConsoleLogFormat.Auto"/> from the environment systemd gives its services.</summary>
    public ConsoleLogFormat ResolveConsoleFormat()
        => Console != ConsoleLogFormat.Auto ? Console
            : string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM")) ? ConsoleLogFormat.Plain
            : ConsoleLogFormat.Journal;
}
