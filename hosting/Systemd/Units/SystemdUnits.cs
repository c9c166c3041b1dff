using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgePartition.Hosting.Systemd.Units;

/// <summary>
/// The systemd units of EdgePartition: three service templates and a target template shared by every partition
/// (deploy/systemd holds them rendered with the default options), plus the drop-ins that make
/// `edgepart@PARTITION.target` start exactly the processes one partition needs.
/// </summary>
public static partial class SystemdUnits
{
    public const string CollectorTemplate = "edgepart-collector@.service";
    public const string SyncTemplate = "edgepart-sync@.service";
    public const string ConsumersTemplate = "edgepart-consumers@.service";
    public const string TargetTemplate = "edgepart@.target";

    public static string Target(string partition) => $"edgepart@{partition}.target";

    /// <summary>
    /// A collector's instance is PARTITION.PROTOCOL: partition names never contain '.', and a ':' would be read
    /// as FILE:ALIAS by `systemd-analyze verify`.
    /// </summary>
    public static string Collector(string partition, string protocol) => $"edgepart-collector@{partition}.{protocol}.service";

    public static string Sync(string partition) => $"edgepart-sync@{partition}.service";

    public static string Consumers(string partition) => $"edgepart-consumers@{partition}.service";

    /// <summary>The four templates, identical for every partition.</summary>
    public static IReadOnlyList<UnitFile> Templates(SystemdUnitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return
        [
            new UnitFile(CollectorTemplate, CollectorUnit(options)),
            new UnitFile(SyncTemplate, SyncUnit(options)),
            new UnitFile(ConsumersTemplate, ConsumersUnit(options)),
            new UnitFile(TargetTemplate, TargetUnit()),
        ];
    }

    /// <summary>The drop-ins of one partition: what its target wants, collector membership, real-time limits.</summary>
    public static IReadOnlyList<UnitFile> PartitionDropIns(PartitionUnitsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var partition = request.Partition;
        if (!UnitInstance().IsMatch(partition))
        {
            throw new ArgumentException($"partition name '{partition}' cannot be a unit instance: use letters, digits, '_' and '-'", nameof(request));
        }

        var files = new List<UnitFile>();
        var wanted = new List<string>();
        foreach (var protocol in request.Protocols)
        {
            if (!UnitInstance().IsMatch(protocol))
            {
                throw new ArgumentException($"protocol '{protocol}' cannot be part of a unit instance", nameof(request));
            }

            var collector = Collector(partition, protocol);
            wanted.Add(collector);
            files.Add(new UnitFile($"{collector}.d/50-partition.conf", CollectorDropIn(partition, request.CollectorRealtimePriority)));
        }

        if (request.HasSync)
        {
            wanted.Add(Sync(partition));
            if (request.SyncRealtimePriority is int priority)
            {
                files.Add(new UnitFile($"{Sync(partition)}.d/50-realtime.conf", RealtimeDropIn(priority)));
            }
        }

        wanted.Add(Consumers(partition));
        files.Insert(0, new UnitFile($"{Target(partition)}.d/50-partition.conf", $"""
            # The processes of partition {partition}; written by `edgepart systemd units`.
            [Unit]
            Wants={string.Join(' ', wanted)}

            """));
        return files;
    }

    /// <summary>Every file for one partition: the templates, then its drop-ins.</summary>
    public static IReadOnlyList<UnitFile> ForPartition(PartitionUnitsRequest request, SystemdUnitOptions options)
        => [.. Templates(options), .. PartitionDropIns(request)];

    private static string CollectorUnit(SystemdUnitOptions options)
    {
        // The instance is PARTITION.PROTOCOL and systemd cannot split it, so a POSIX shell does and then execs
        // edgepart (same PID, so Type=notify and NotifyAccess=main still see the main process).
        // In unit syntax "$$" is a literal "$" and "%%" a literal "%".
        var config = $"{options.ConfigDirectory}/$${{1%%.*}}/partition.xml";
        var execStart = $"/bin/sh -c 'exec \"$$0\" collector \"{config}\" --protocol \"$${{1##*.}}\"' {options.Executable} %i";
        return Service(
            options,
            description: "EdgePartition collector %i (partition.protocol)",
            execStart: execStart,
            network: true,
            partOf: null);
    }

    private static string SyncUnit(SystemdUnitOptions options) => Service(
        options,
        description: "EdgePartition sync of partition %i",
        execStart: $"{options.Executable} sync {options.PartitionFile("%i")}",
        network: false,
        partOf: "edgepart@%i.target");

    private static string ConsumersUnit(SystemdUnitOptions options) => Service(
        options,
        description: "EdgePartition consumers (HTTP status, websocket, dashboard, metrics) of partition %i",
        execStart: $"{options.Executable} consumers {options.PartitionFile("%i")}",
        network: true,
        partOf: "edgepart@%i.target");

    private static string TargetUnit() => """
        # A whole EdgePartition partition: `systemctl enable --now edgepart@PARTITION.target`.
        # Which collectors, sync and consumers it starts is in the drop-in
        # edgepart@PARTITION.target.d/50-partition.conf written by `edgepart systemd units PARTITION.xml`.
        [Unit]
        Description=EdgePartition partition %i

        [Install]
        WantedBy=multi-user.target

        """;

    private static string Service(SystemdUnitOptions options, string description, string execStart, bool network, string? partOf)
    {
        var unit = new StringBuilder();
        unit.Append(CultureInfo.InvariantCulture, $"""
            # Generated by `edgepart systemd units`; one instance per partition.
            [Unit]
            Description={description}

            """);
        if (partOf is not null)
        {
            unit.Append(CultureInfo.InvariantCulture, $"PartOf={partOf}\n");
        }

        if (network)
        {
            unit.Append("Wants=network-online.target\nAfter=network-online.target\n");
        }

        unit.Append(CultureInfo.InvariantCulture, $"""
            # Restart=always, but a process failing 5 times within a minute stays failed instead of looping.
            StartLimitIntervalSec=60
            StartLimitBurst=5

            [Service]
            # READY=1 once the process really serves; WATCHDOG=1 only while its cycles are healthy.
            Type=notify
            NotifyAccess=main
            ExecStart={execStart}
            WatchdogSec={(int)options.Watchdog.TotalSeconds}s
            TimeoutStartSec=60s
            # Above the host's 15 s shutdown timeout, so a clean stop is never cut short.
            TimeoutStopSec=20s
            Restart=always
            RestartSec=2s
            # 78 (bad configuration) and 69 (component not available) would fail the same way again: no restart loop.
            RestartPreventExitStatus=69 73 78

            # A dedicated user and group own the segments in /dev/shm: mode 0640, so group members may read them.
            User={options.User}
            Group={options.Group}
            UMask=0027
            # Segments must outlive any one process of the partition: never remove the user's IPC objects.
            RemoveIPC=no
            ReadWritePaths=/dev/shm
            LogsDirectory=edgepart
            LogsDirectoryMode=0750
            StateDirectory=edgepart
            StateDirectoryMode=0750
            ConfigurationDirectory=edgepart

            # Hardening.
            NoNewPrivileges=yes
            ProtectSystem=strict
            ProtectHome=yes
            PrivateTmp=yes
            ProtectKernelTunables=yes
            ProtectKernelModules=yes
            ProtectKernelLogs=yes
            ProtectControlGroups=yes
            ProtectClock=yes
            ProtectHostname=yes
            ProtectProc=invisible
            LockPersonality=yes
            RestrictNamespaces=yes
            RestrictSUIDSGID=yes
            SystemCallArchitectures=native
            RestrictAddressFamilies={(network ? "AF_UNIX AF_INET AF_INET6" : "AF_UNIX")}
            # No capabilities. SCHED_FIFO, when the partition enables it, comes from LimitRTPRIO= in a drop-in.
            CapabilityBoundingSet=
            AmbientCapabilities=
            RestrictRealtime=yes
            # The .NET JIT maps code executable after writing it (W^X double mapping still calls mprotect with
            # PROT_EXEC), which MemoryDenyWriteExecute=yes forbids; only a Native AOT build could run with it.
            MemoryDenyWriteExecute=no

            """);
        return unit.ToString();
    }

    private static string CollectorDropIn(string partition, int? realtimePriority)
    {
        var text = $"""
            # Collector of partition {partition}; written by `edgepart systemd units`.
            [Unit]
            PartOf={Target(partition)}

            """;
        return realtimePriority is int priority ? text + "\n" + RealtimeDropIn(priority) : text;
    }

    /// <summary>
    /// RLIMIT_RTPRIO lets the unprivileged service set SCHED_FIFO up to this priority on its cycle threads, so the
    /// capability bounding set stays empty (CAP_SYS_NICE would also allow renicing anything).
    /// </summary>
    private static string RealtimeDropIn(int priority) => string.Create(CultureInfo.InvariantCulture, $"""
        # SCHED_FIFO cycle threads up to priority {priority} (real-time configured for this partition).
        [Service]
        RestrictRealtime=no
        LimitRTPRIO={priority}

        """);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex UnitInstance();
}
