using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Tests;

/// <summary>Records every log entry and lets a test await the first one with a given event id.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<CapturedLog>> _waiters = new();

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    public Task<CapturedLog> WaitForEvent(int eventId)
    {
        var waiter = _waiters.GetOrAdd(eventId, _ => new TaskCompletionSource<CapturedLog>(TaskCreationOptions.RunContinuationsAsynchronously));
        foreach (var entry in _entries)
        {
            if (entry.EventId == eventId)
            {
                waiter.TrySetResult(entry);
            }
        }

        return waiter.Task;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(CapturedLog entry)
    {
        _entries.Enqueue(entry);
        if (_waiters.TryGetValue(entry.EventId, out var waiter))
        {
            waiter.TrySetResult(entry);
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
