using EdgePartition.Consumers.Feed;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Partition;

/// <summary>
/// Runs one <see cref="SourceWatcher"/> thread per segment of the partition for the life of the host. Dedicated
/// threads, because each sleeps in a futex wait rather than on the thread pool.
/// </summary>
public sealed class PartitionMonitor(PartitionState partition, FeedHub hub, ConsumersOptions options, ILoggerFactory loggers) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Thread> _threads = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<SourceWatcher>();
        foreach (var source in partition.Sources)
        {
            var watcher = new SourceWatcher(partition, source, hub, options, logger);
            var thread = new Thread(() => watcher.Run(_stopping.Token))
            {
                IsBackground = true,
                Name = $"watch {source.Name}",
            };
            thread.Start();
            _threads.Add(thread);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        // Each watcher notices within one liveness interval (its futex wait is bounded by it).
        var deadline = options.LivenessPollInterval * 4;
        foreach (var thread in _threads)
        {
            thread.Join(deadline);
        }

        _stopping.Dispose();
    }
}
