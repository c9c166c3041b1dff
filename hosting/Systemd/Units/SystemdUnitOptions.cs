namespace EdgePartition.Hosting.Systemd.Units;

/// <summary>Where an installation puts things; the defaults are what deploy/install.sh installs.</summary>
public sealed record SystemdUnitOptions
{
    /// <summary>The published single-file `edgepart`.</summary>
    public string Executable { get; init; } = "/opt/edgepart/edgepart";

    /// <summary>Each partition lives in CONFIG_DIR/PARTITION/partition.xml beside its endpoint files.</summary>
    public string ConfigDirectory { get; init; } = "/etc/edgepart";

    /// <summary>Dedicated system user and group that own the segments (group members may read them).</summary>
    public string User { get; init; } = "edgepart";

    public string Group { get; init; } = "edgepart";

    /// <summary>WatchdogSec=: how long systemd waits for WATCHDOG=1 before it kills and restarts a process.</summary>
    public TimeSpan Watchdog { get; init; } = TimeSpan.FromSeconds(10);

    public string PartitionFile(string partition) => $"{ConfigDirectory}/{partition}/partition.xml";
}
