using System.Net;

namespace EdgePartition.Consumers;

/// <summary>
/// How the consumers' HTTP endpoint listens and who may use it. Built from the partition file's consumer section;
/// the defaults are the safe ones: loopback only, no TLS, no token.
/// </summary>
public sealed record ConsumersOptions
{
    /// <summary>Address Kestrel binds; 127.0.0.1 unless the partition file names another.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 lets the OS pick one (tests), the bound port is then reported by the server.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>When set, every endpoint but /healthz requires <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public string? BearerToken { get; init; }

    /// <summary>Named tokens with roles; null when the partition file has no tokens file (then nobody may write).</summary>
    public Config.TokensConfig? Tokens { get; init; }

    /// <summary>The audit file of write attempts; null: no file (the log still has one line per attempt).</summary>
    public Config.AuditConfig? Audit { get; init; }

    /// <summary>How long a write waits for the collector's result; the request expires in the queue then too.</summary>
    public TimeSpan WriteResultTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>TLS certificate: a PKCS#12 file (.pfx/.p12) or a PEM certificate (with <see cref="TlsKeyPath"/>).</summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertificatePath"/>; null when the key is inside the certificate file.</summary>
    public string? TlsKeyPath { get; init; }

    /// <summary>Password of a PKCS#12 certificate file or of an encrypted PKCS#8 PEM key, if it has one.</summary>
    public string? TlsCertificatePassword { get; init; }

    /// <summary>How long the feed waits on a segment before re-checking liveness when nothing is written.</summary>
    public TimeSpan LivenessPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A heartbeat older than this makes /healthz report the process as not fresh.</summary>
    public TimeSpan FreshnessLimit { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Websocket limits (per client); see <see cref="Feed.FeedLimits"/>.</summary>
    public Feed.FeedLimits Feed { get; init; } = new();
}
