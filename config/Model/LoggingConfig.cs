namespace EdgePartition.Config;

/// <summary>Minimum level of log events (Serilog's level names).</summary>
public enum LogLevelSetting
{
    Verbose,
    Debug,
    Information,
    Warning,
    Error,
    Fatal,
}

/// <summary>When a rolling log file starts a new file (Serilog's rolling intervals).</summary>
public enum LogRollingInterval
{
    Infinite,
    Year,
    Month,
    Day,
    Hour,
    Minute,
}

/// <summary>Logging: a level and an optional rolling file beside the console.</summary>
public sealed class LoggingConfig
{
    public LogLevelSetting Level { get; init; } = LogLevelSetting.Information;

    public LogFileConfig? File { get; init; }
}

/// <summary>A rolling log file.</summary>
public sealed class LogFileConfig
{
    /// <summary>Absolute path of the log file.</summary>
    public required string Path { get; init; }

    public LogRollingInterval RollingInterval { get; init; } = LogRollingInterval.Day;

    /// <summary>Start a new file at this size; null for no limit.</summary>
    public long? SizeLimitBytes { get; init; }

    public int RetainedFiles { get; init; } = 14;
}
