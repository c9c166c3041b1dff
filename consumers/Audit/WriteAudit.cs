using System.Buffers;
using System.Text.Json;
using EdgePartition.Consumers.Json;
using EdgePartition.Consumers.Writes;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Audit;

/// <summary>
/// The audit trail of write attempts: each one, allowed or not, is one structured log line and one JSON line
/// appended to the audit file (rotated by size: .1 is the newest old file), counted by outcome for /metrics, and
/// kept among the last <see cref="RecentCapacity"/> for the dashboard. The file is opened for append only and
/// flushed per line, so a crash loses at most the line being written.
/// </summary>
public sealed partial class WriteAudit : IDisposable
{
    public const int RecentCapacity = 50;

    private readonly Lock _gate = new();
    private readonly Config.AuditConfig? _config;
    private readonly ILogger<WriteAudit> _logger;
    private readonly long[] _counts = new long[WriteOutcomes.All.Count];
    private readonly Queue<WriteReport> _recent = new(RecentCapacity);
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private FileStream? _file;

    public WriteAudit(ConsumersOptions options, ILogger<WriteAudit> logger)
    {
        _config = options.Audit;
        _logger = logger;
    }

    /// <summary>The audit file, or null when none is configured.</summary>
    public string? FilePath => _config?.FilePath;

    public long Count(WriteOutcome outcome) => Interlocked.Read(ref _counts[(int)outcome]);

    /// <summary>The last write attempts, newest first.</summary>
    public IReadOnlyList<WriteReport> Recent()
    {
        lock (_gate)
        {
            var list = _recent.ToList();
            list.Reverse();
            return list;
        }
    }

    public void Record(WriteReport report)
    {
        Interlocked.Increment(ref _counts[(int)report.Outcome]);
        LogAttempt(_logger, report.Caller, report.Client, report.Device, report.Tag, WriteOutcomes.Name(report.Outcome), report.PreviousJson ?? "null",
            report.ValueJson ?? "null", report.RequestId, report.LatencyMs, report.Error ?? "");
        lock (_gate)
        {
            if (_recent.Count == RecentCapacity)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(report);
            if (_config is not null)
            {
                Append(report);
            }
        }
    }

    private void Append(WriteReport report)
    {
        _line.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_line, JsonDefaults.WriterOptions))
        {
            report.WriteAudit(writer);
        }

        _line.GetSpan(1)[0] = (byte)'\n';
        _line.Advance(1);
        try
        {
            var file = _file ??= Open(_config!.FilePath);
            if (file.Length + _line.WrittenCount > _config!.MaxBytes && file.Length > 0)
            {
                file.Dispose();
                _file = null;
                Rotate(_config.FilePath, _config.Keep);
                file = _file = Open(_config.FilePath);
            }

            file.Write(_line.WrittenSpan);
            file.Flush(flushToDisk: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write itself already happened or was refused; losing its audit line must be loud, not fatal.
            _file?.Dispose();
            _file = null;
            LogAuditFileFailed(_logger, _config!.FilePath, e.Message);
        }
    }

    private static FileStream Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path) ?? ".");
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            // Readable by the service group (log shippers), writable only by the consumers process.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        }

        return new FileStream(path, options);
    }

    /// <summary>file.{keep-1} → file.{keep}, ..., file → file.1; the oldest beyond <paramref name="keep"/> is deleted.</summary>
    private static void Rotate(string path, int keep)
    {
        File.Delete($"{path}.{keep}");
        for (var i = keep - 1; i >= 1; i--)
        {
            if (File.Exists($"{path}.{i}"))
            {
                File.Move($"{path}.{i}", $"{path}.{i + 1}");
            }
        }

        File.Move(path, $"{path}.1");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    [LoggerMessage(EventId = 640, Level = LogLevel.Information,
        Message = "Write by {Token} from {Client}: {Device}/{Tag} {Result} (previous {Previous}, value {Value}, request {RequestId}, {LatencyMs} ms) {Error}")]
    private static partial void LogAttempt(ILogger logger, string token, string client, string device, string tag, string result, string previous,
        string value, ulong requestId, double latencyMs, string error);

    [LoggerMessage(EventId = 641, Level = LogLevel.Error, Message = "Cannot append to the audit file {Path}: {Reason}")]
    private static partial void LogAuditFileFailed(ILogger logger, string path, string reason);
}
