namespace EdgePartition.Config;

/// <summary>
/// The partition's northbound publisher (`edgepart northbound`): Sparkplug B over MQTT to a site broker, with
/// store and forward on disk. Null on <see cref="PartitionConfig.Northbound"/> when the file has no
/// &lt;northbound&gt; element. Secrets are never here: the password comes from a file or an environment variable.
/// </summary>
public sealed class NorthboundConfig
{
    /// <summary>Brokers in failover order; each session tries the next one after a failure.</summary>
    public required IReadOnlyList<MqttBrokerConfig> Brokers { get; init; }

    /// <summary>Sparkplug group id (no '+', '/', '#').</summary>
    public required string GroupId { get; init; }

    /// <summary>Sparkplug edge node id; default the partition name.</summary>
    public required string EdgeNodeId { get; init; }

    /// <summary>MQTT client id; default "edgepart-GROUP-NODE".</summary>
    public required string ClientId { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The primary host application's id: births only while its STATE says online. Null: no primary host.</summary>
    public string? PrimaryHostId { get; init; }

    /// <summary>Pause between two device births, so a rebirth of many devices is not a burst.</summary>
    public TimeSpan BirthPacing { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>First reconnect delay; doubles (with jitter) up to <see cref="ReconnectMax"/>.</summary>
    public TimeSpan ReconnectMin { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(60);

    public MqttTlsConfig? Tls { get; init; }

    public MqttCredentialsConfig? Credentials { get; init; }

    /// <summary>Which device tags are published; empty publishes every tag of every device.</summary>
    public IReadOnlyList<NorthboundPublishRule> Publish { get; init; } = [];

    public StoreAndForwardConfig Store { get; init; } = new();

    /// <summary>NCMD/DCMD writes allowed to these device/tag patterns; empty (the default) refuses every write.</summary>
    public IReadOnlyList<NorthboundCommandRule> AllowWrites { get; init; } = [];

    /// <summary>Plain JSON topics beside Sparkplug; null: off.</summary>
    public UnsTopicsConfig? Uns { get; init; }
}

/// <summary>One broker: mqtt://host:port or mqtts://host:port (TLS).</summary>
public sealed class MqttBrokerConfig
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required bool UseTls { get; init; }

    public override string ToString() => $"{(UseTls ? "mqtts" : "mqtt")}://{Host}:{Port}";
}

/// <summary>TLS to the broker. Paths are absolute and existed when the file was loaded.</summary>
public sealed class MqttTlsConfig
{
    /// <summary>PEM CA certificate(s) that sign the broker's certificate; null: the system trust store.</summary>
    public string? CaPath { get; init; }

    /// <summary>PEM client certificate, for brokers that require one.</summary>
    public string? CertificatePath { get; init; }

    public string? KeyPath { get; init; }

    /// <summary>Name expected in the broker's certificate; default the broker's host.</summary>
    public string? ServerName { get; init; }
}

/// <summary>A user name and where its password is; the password itself is never in the XML.</summary>
public sealed class MqttCredentialsConfig
{
    public required string UserName { get; init; }

    /// <summary>A file holding the password (trailing newline ignored).</summary>
    public string? PasswordFile { get; init; }

    /// <summary>An environment variable holding the password.</summary>
    public string? PasswordEnvironmentVariable { get; init; }
}

/// <summary>Publish the tags matching <see cref="Tags"/> of the devices matching <see cref="Device"/> ('*' and '?' wildcards).</summary>
public sealed class NorthboundPublishRule
{
    public string Device { get; init; } = "*";

    public string Tags { get; init; } = "*";

    /// <summary>A numeric change smaller than this (absolute) is not published; 0 publishes every change.</summary>
    public double Deadband { get; init; }
}

/// <summary>Writes from NCMD/DCMD allowed to the writable tags matching these patterns.</summary>
public sealed class NorthboundCommandRule
{
    public string Device { get; init; } = "*";

    public string Tags { get; init; } = "*";
}

/// <summary>How fsync is used by the store: every append, once a second, or left to the OS.</summary>
public enum StoreSyncPolicy
{
    Always,
    Interval,
    None,
}

/// <summary>The on-disk store that keeps changes while the broker or the primary host is away.</summary>
public sealed class StoreAndForwardConfig
{
    public bool Enabled { get; init; } = true;

    /// <summary>Directory of the store; null: $STATE_DIRECTORY (systemd) or /var/lib/edgepart, then the partition name.</summary>
    public string? Directory { get; init; }

    /// <summary>Largest size of the stored message bodies in bytes (the XML gives megabytes).</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(24);

    public StoreSyncPolicy Sync { get; init; } = StoreSyncPolicy.Interval;

    /// <summary>Stored messages replayed per second after the births (live data goes first).</summary>
    public int ReplayPerSecond { get; init; } = 200;
}

/// <summary>Plain JSON topics PREFIX/PARTITION/DEVICE/TAG with value, quality and timestamp.</summary>
public sealed class UnsTopicsConfig
{
    public required string Prefix { get; init; }

    public bool Retain { get; init; } = true;
}
