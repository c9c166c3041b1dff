using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace EdgePartition.Hosting.Logging;

/// <summary>
/// One line per entry, carrying partition, process and device (from a <see cref="DeviceScope"/> or a {Device}
/// message property). Plain: "2026-11-21T19:40:00.123+00:00 WRN [line1/collector-s7/plc1] Poller: message".
/// Journal: "&lt;4&gt;[line1/collector-s7/plc1] Poller: message", each exception line with the same prefix so
/// journald keeps the level on the whole stack trace.
/// </summary>
internal sealed class PartitionConsoleFormatter(IOptionsMonitor<PartitionConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "edgepartition";

    [ThreadStatic]
    private static DeviceHolder? t_holder;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        string message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var settings = options.CurrentValue;
        string prefix = settings.Journal ? JournalPriority.Prefix(logEntry.LogLevel) : string.Empty;
        textWriter.Write(prefix);
        if (!settings.Journal)
        {
            textWriter.Write(DateTimeOffset.Now.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture));
            textWriter.Write(' ');
            textWriter.Write(LevelName(logEntry.LogLevel));
            textWriter.Write(' ');
        }

        textWriter.Write('[');
        textWriter.Write(settings.Origin);
        if (FindDevice(logEntry.State, scopeProvider) is { } device)
        {
            textWriter.Write('/');
            textWriter.Write(device);
        }

        textWriter.Write("] ");
        textWriter.Write(ShortCategory(logEntry.Category));
        textWriter.Write(": ");
        if (logEntry.Exception is { } problem && EnvironmentProblem.Is(problem))
        {
            // A held lease, a used port, a full directory: one line that says which (the file log keeps the trace).
            WriteLines(textWriter, $"{message}: {EnvironmentProblem.Describe(problem)}", continuation: settings.Journal ? prefix + "  " : "  ");
            return;
        }

        WriteLines(textWriter, message, continuation: settings.Journal ? prefix + "  " : "  ");
        if (logEntry.Exception is not null)
        {
            textWriter.Write(prefix);
            textWriter.Write("  ");
            WriteLines(textWriter, logEntry.Exception.ToString(), continuation: prefix + "  ");
        }
    }

    /// <summary>Writes text ending with a newline; lines after the first start with <paramref name="continuation"/>.</summary>
    private static void WriteLines(TextWriter writer, string text, string continuation)
    {
        var rest = text.AsSpan();
        while (true)
        {
            int newline = rest.IndexOf('\n');
            var line = newline < 0 ? rest : rest[..newline];
            writer.Write(line.TrimEnd('\r'));
            writer.Write('\n');
            if (newline < 0)
            {
                return;
            }

            rest = rest[(newline + 1)..];
            if (rest.IsEmpty)
            {
                return;
            }

            writer.Write(continuation);
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRC",
        LogLevel.Debug => "DBG",
        LogLevel.Information => "INF",
        LogLevel.Warning => "WRN",
        LogLevel.Error => "ERR",
        LogLevel.Critical => "CRT",
        _ => "---",
    };

    /// <summary>The class name is enough to find the source; the namespace only makes lines wrap.</summary>
    private static ReadOnlySpan<char> ShortCategory(string category)
    {
        int dot = category.LastIndexOf('.');
        return dot < 0 ? category : category.AsSpan(dot + 1);
    }

    private static string? FindDevice<TState>(TState state, IExternalScopeProvider? scopeProvider)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> properties && DeviceIn(properties) is { } fromMessage)
        {
            return fromMessage;
        }

        if (scopeProvider is null)
        {
            return null;
        }

        // The innermost device scope wins; a per-thread holder and a static lambda keep this allocation-free.
        var holder = t_holder ??= new DeviceHolder();
        holder.Device = null;
        scopeProvider.ForEachScope(static (scope, found) =>
        {
            if (scope is DeviceScope deviceScope)
            {
                found.Device = deviceScope.Device;
            }
            else if (scope is IReadOnlyList<KeyValuePair<string, object?>> properties && DeviceIn(properties) is { } device)
            {
                found.Device = device;
            }
        }, holder);
        return holder.Device;
    }

    private static string? DeviceIn(IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        for (int i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            if (property.Key == DeviceScope.PropertyName && property.Value is not null)
            {
                return property.Value.ToString();
            }
        }

        return null;
    }

    private sealed class DeviceHolder
    {
        public string? Device { get; set; }
    }
}
