using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Logging;

/// <summary>syslog priorities (sd-daemon.h SD_* prefixes) that journald reads from the start of each stdout line.</summary>
internal static class JournalPriority
{
    public static string Prefix(LogLevel level) => level switch
    {
        LogLevel.Critical => "<2>",
        LogLevel.Error => "<3>",
        LogLevel.Warning => "<4>",
        LogLevel.Information => "<6>",
        _ => "<7>",
    };
}
