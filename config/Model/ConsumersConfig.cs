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

    /// <summary>When set, API requests must carry "Authorization: Bearer TOKEN".</summary>
    public string? BearerToken { get; init; }

    /// <summary>Serve HTTPS with this certificate; null serves plain HTTP.</summary>
    public TlsConfig? Tls { get; init; }

    public const string DefaultBindAddress = "127.0.0.1";
}

/// <summary>A server certificate: absolute path and optional password.</summary>
public sealed class TlsConfig
{
    public required string CertificatePath { get; init; }

    public string? Password { get; init; }
}

/// <summary>An S7 or Modbus server endpoint exposing partition data.</summary>
public sealed class ServerEndpointConfig
{
    public string BindAddress { get; init; } = HttpEndpointConfig.DefaultBindAddress;

    public required int Port { get; init; }

    public bool ReadOnly { get; init; } = true;
}
