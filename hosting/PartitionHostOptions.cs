using EdgePartition.Hosting.Logging;

namespace EdgePartition.Hosting;

/// <summary>Everything <see cref="PartitionHost"/> needs to wire a partition process.</summary>
public sealed record PartitionHostOptions
{
    public required ProcessIdentity Identity { get; init; }

    public PartitionLoggingOptions Logging { get; init; } = new();

    /// <summary>Overrides WATCHDOG_USEC (tests, or a supervisor's own watchdog); null reads the environment.</summary>
    public TimeSpan? WatchdogInterval { get; init; }

    /// <summary>How often STATUS= is refreshed with the cycle jitter summary.</summary>
    public TimeSpan StatusRefresh { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long stopping services get before the host gives up on them (keep below TimeoutStopSec=).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
