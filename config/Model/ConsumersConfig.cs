namespace EdgePartition.Config;

/// <summary>Local endpoints exposing the partition; each is off when null.</summary>
public sealed class ConsumersConfig
{
    public HttpEndpointConfig? Http { get; init; }

    public ServerEndpointConfig? S7Server { get; init; }

    public ServerEndpointConfig? ModbusServer { get; init; }
}

/// <summary>HTTP JSON status, websocket feed, dashboard, metrics and manual.</summary>
public sealed class HttpEndpointConfig
{
    public string BindAddress { get; init; } = DefaultBindAddress;

    public required int Port { get; init; }

    /// <summary>When set, API requests must carry "Authorization: Bearer TOKEN". Deprecated: use <see cref="Tokens"/>.</summary>
    public string? BearerToken { get; init; }

    /// <summary>Named tokens with roles (read, write); null: no token file (then nobody may write).</summary>
    public TokensConfig? Tokens { get; init; }

    /// <summary>Where write attempts are audited; null: beside the tokens file, or no file without one.</summary>
    public AuditConfig? Audit { get; init; }

    /// <summary>Whether a write-role token exists (in the tokens file, or the bearerToken the file lets write).</summary>
    public bool AllowsWrites =>
        Tokens is { } tokens && (tokens.Tokens.Any(t => t.Role == AccessTokenRole.Write) ||
                                 (BearerToken is not null && tokens.BearerTokenRole == AccessTokenRole.Write));

    /// <summary>Serve HTTPS with this certificate; null serves plain HTTP.</summary>
    public TlsConfig? Tls { get; init; }

    public const string DefaultBindAddress = "127.0.0.1";
}

/// <summary>
/// The HTTPS server certificate: a PKCS#12 file (.pfx/.p12) holding certificate and key, or a PEM certificate whose
/// key is in <see cref="KeyPath"/> or in the certificate file itself. Both files exist when the file is loaded.
/// </summary>
public sealed class TlsConfig
{
    /// <summary>Absolute path of the certificate file.</summary>
    public required string CertificatePath { get; init; }

    /// <summary>Absolute path of the PEM private key; null when the certificate file holds the key.</summary>
    public string? KeyPath { get; init; }

    /// <summary>Password of the PKCS#12 file, or of an encrypted PKCS#8 PEM key.</summary>
    public string? Password { get; init; }

    /// <summary>Whether <paramref name="certificatePath"/> names a PKCS#12 file (.pfx/.p12); anything else is PEM.</summary>
    public static bool IsPkcs12(string certificatePath) =>
        Path.GetExtension(certificatePath).ToLowerInvariant() is ".pfx" or ".p12";
}

/// <summary>An S7 or Modbus server endpoint exposing partition data.</summary>
public sealed class ServerEndpointConfig
{
    public string BindAddress { get; init; } = HttpEndpointConfig.DefaultBindAddress;

    public required int Port { get; init; }

    public bool ReadOnly { get; init; } = true;
}
