using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace EdgePartition.Hosting.Logging;

public static class PartitionLoggingExtensions
{
    /// <summary>Serilog file line: the same fields as the plain console line, with the full category.</summary>
    internal const string FileTemplate =
        "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} {Level:u3} [{Origin}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Replaces the logging providers with the partition's: console plain or journal (see
    /// <see cref="ConsoleLogFormat"/>) and, when configured, rolling files. Every line carries partition, process
    /// and device.
    /// </summary>
    public static ILoggingBuilder AddPartitionLogging(this ILoggingBuilder logging, ProcessIdentity identity, PartitionLoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        logging.ClearProviders();
        logging.SetMinimumLevel(options.MinimumLevel);
        if (options.MinimumLevel >= LogLevel.Information)
        {
            // One line per HTTP request would drown the partition's own messages.
            logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }

        var format = options.ResolveConsoleFormat();
        if (format != ConsoleLogFormat.None)
        {
            logging.AddConsole(console => console.FormatterName = PartitionConsoleFormatter.FormatterName);
            logging.AddConsoleFormatter<PartitionConsoleFormatter, PartitionConsoleFormatterOptions>(formatter =>
            {
                formatter.Origin = identity.ToString();
                formatter.Journal = format == ConsoleLogFormat.Journal;
            });
        }

        if (options.File is { } file)
        {
            logging.AddSerilog(CreateFileLogger(identity, file), dispose: true);
        }

        return logging;
    }

    internal static Serilog.Core.Logger CreateFileLogger(ProcessIdentity identity, RollingFileOptions file)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file.Path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(file.Path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        return new LoggerConfiguration()
            .MinimumLevel.Verbose() // Microsoft.Extensions.Logging filters before events reach Serilog.
            .Enrich.WithProperty("Partition", identity.Partition)
            .Enrich.WithProperty("Process", identity.Process)
            .Enrich.With(new OriginEnricher(identity.ToString()))
            .WriteTo.File(
                file.Path,
                restrictedToMinimumLevel: LogEventLevel.Verbose,
                outputTemplate: FileTemplate,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                fileSizeLimitBytes: file.MaxFileBytes,
                rollingInterval: file.RollDaily ? RollingInterval.Day : RollingInterval.Infinite,
                rollOnFileSizeLimit: file.MaxFileBytes is not null,
                retainedFileCountLimit: file.RetainedFiles)
            .CreateLogger();
    }
}
