namespace EdgePartition.Hosting.Logging;

/// <summary>How log lines go to stdout.</summary>
public enum ConsoleLogFormat
{
    /// <summary>Journal when systemd connected stdout to the journal (JOURNAL_STREAM is set), plain otherwise.</summary>
    Auto,

    /// <summary>Timestamp, level, origin, category and message: for terminals, containers and files.</summary>
    Plain,

    /// <summary>"&lt;N&gt;" syslog priority prefix per line and no timestamp: journald adds its own and keeps the level.</summary>
    Journal,

    /// <summary>No console output (a rolling file only, or tests).</summary>
    None,
}
