namespace EdgePartition.Hosting.Logging;

/// <summary>Rolling log files through Serilog.Sinks.File, besides the console or journal.</summary>
public sealed record RollingFileOptions
{
    /// <summary>
    /// Log file path, e.g. /var/log/edgepart/line1-sync.log. With daily rolling the date goes before the extension
    /// (line1-sync20261121.log); a size roll appends _001, _002.
    /// </summary>
    public required string Path { get; init; }

    /// <summary>Start a new file every day.</summary>
    public bool RollDaily { get; init; } = true;

    /// <summary>Start a new file when this size is reached; null for no size limit.</summary>
    public long? MaxFileBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>How many files to keep, the current one included; older ones are deleted. Null keeps all.</summary>
    public int? RetainedFiles { get; init; } = 14;
}
