using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Tests;

/// <summary>Records every log entry and lets a test await one with a given event id, optionally after a point.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<CapturedLog> _entries = [];
    private readonly List<(int EventId, int Since, TaskCompletionSource<CapturedLog> Waiter)> _waiters = [];

    public IReadOnlyList<CapturedLog> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>How many entries were logged so far: pass it to <see cref="WaitForEvent"/> to ignore older ones.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public Task<CapturedLog> WaitForEvent(int eventId, int since = 0)
    {
        lock (_gate)
        {
            for (int i = since; i < _entries.Count; i++)
            {
                if (_entries[i].EventId == eventId)
                {
                    return Task.FromResult(_entries[i]);
                }
            }

            var waiter = new TaskCompletionSource<CapturedLog>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((eventId, since, waiter));
            return waiter.Task;
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(CapturedLog entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
            foreach (var (eventId, _, waiter) in _waiters)
            {
                if (eventId == entry.EventId)
                {
                    waiter.TrySetResult(entry);
                }
            }

            _waiters.RemoveAll(w => w.Waiter.Task.IsCompleted);
        }
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => provider.Add(new CapturedLog(category, logLevel, eventId.Id, formatter(state, exception)));
    }
}

internal sealed record CapturedLog(string Category, LogLevel Level, int EventId, string Message);
