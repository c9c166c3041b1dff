using Microsoft.Extensions.Logging.Console;

namespace EdgePartition.Hosting.Logging;

internal sealed class PartitionConsoleFormatterOptions : ConsoleFormatterOptions
{
    public string Origin { get; set; } = string.Empty;

    public bool Journal { get; set; }
}
