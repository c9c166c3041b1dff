using EdgePartition.Hosting.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgePartition.Hosting.Tests;

public sealed class ConsoleFormatTests
{
    private readonly LoggerExternalScopeProvider _scopes = new();

    [Theory]
    [InlineData(LogLevel.Critical, "<2>")]
    [InlineData(LogLevel.Error, "<3>")]
    [InlineData(LogLevel.Warning, "<4>")]
    [InlineData(LogLevel.Information, "<6>")]
    [InlineData(LogLevel.Debug, "<7>")]
    [InlineData(LogLevel.Trace, "<7>")]
    public void JournalLinesStartWithTheSyslogPriority(LogLevel level, string prefix)
    {
        var line = Format(journal: true, level, "EdgePartition.Sync.Merger", "merged 3 blocks");

        Assert.Equal($"{prefix}[line1/sync] Merger: merged 3 blocks\n", line);
    }

    [Fact]
    public void PlainLinesCarryTimestampLevelAndOrigin()
    {
        var line = Format(journal: false, LogLevel.Warning, "EdgePartition.Collector.Poller", "slow poll");

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d WRN \[line1/sync\] Poller: slow poll\n$", line);
    }

    [Fact]
    public void ADeviceScopeNamesTheDevice()
    {
        using (_scopes.Push(new DeviceScope("plc7")))
        {
            var line = Format(journal: true, LogLevel.Information, "Poller", "connected");

            Assert.Equal("<6>[line1/sync/plc7] Poller: connected\n", line);
        }
    }

    [Fact]
    public void ADevicePropertyInTheMessageNamesTheDevice()
    {
        var state = new List<KeyValuePair<string, object?>> { new("Device", "meter2"), new("{OriginalFormat}", "timeout on {Device}") };

        var line = Format(journal: true, LogLevel.Error, "Poller", state, (_, _) => "timeout on meter2", exception: null);

        Assert.Equal("<3>[line1/sync/meter2] Poller: timeout on meter2\n", line);
    }

    [Fact]
    public void EveryExceptionLineKeepsThePriorityInTheJournal()
    {
        Exception exception;
        try
        {
            throw new InvalidOperationException("segment gone");
        }
        catch (InvalidOperationException thrown)
        {
            exception = thrown;
        }

        var text = Format(journal: true, LogLevel.Error, "Sync", "cycle failed", exception);

        var lines = text.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length >= 3);
        Assert.Equal("<3>[line1/sync] Sync: cycle failed", lines[0]);
        Assert.StartsWith("<3>  System.InvalidOperationException: segment gone", lines[1]);
        Assert.All(lines, line => Assert.StartsWith("<3>", line));
    }

    [Fact]
    public void AutoPicksTheJournalOnlyWhenSystemdConnectedStdout()
    {
        var expected = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM")) ? ConsoleLogFormat.Plain : ConsoleLogFormat.Journal;

        Assert.Equal(expected, new PartitionLoggingOptions().ResolveConsoleFormat());
        Assert.Equal(ConsoleLogFormat.Journal, new PartitionLoggingOptions { Console = ConsoleLogFormat.Journal }.ResolveConsoleFormat());
    }

    private string Format(bool journal, LogLevel level, string category, string message, Exception? exception = null)
        => Format(journal, level, category, message, (m, _) => m, exception);

    private string Format<TState>(bool journal, LogLevel level, string category, TState state, Func<TState, Exception?, string> formatter, Exception? exception)
    {
        var options = new PartitionConsoleFormatterOptions { Origin = "line1/sync", Journal = journal };
        var formatterUnderTest = new PartitionConsoleFormatter(new FixedOptions(options));
        using var writer = new StringWriter();
        formatterUnderTest.Write(new LogEntry<TState>(level, category, new EventId(1), state, exception, formatter), _scopes, writer);
        return writer.ToString();
    }

    private sealed class FixedOptions(PartitionConsoleFormatterOptions value) : IOptionsMonitor<PartitionConsoleFormatterOptions>
    {
        public PartitionConsoleFormatterOptions CurrentValue => value;

        public PartitionConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PartitionConsoleFormatterOptions, string?> listener) => null;
    }
}
