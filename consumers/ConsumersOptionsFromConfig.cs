using System.Net;
using EdgePartition.Config;

namespace EdgePartition.Consumers;

/// <summary>Maps the partition file's <c>consumers/http</c> element to <see cref="ConsumersOptions"/>.</summary>
public static class ConsumersOptionsFromConfig
{
    /// <summary>The HTTP options of <paramref name="config"/>; the safe defaults (127.0.0.1:8080, no token) when absent.</summary>
    public static ConsumersOptions Create(PartitionConfig config)
    {
        var http = config.Consumers.Http;
        if (http is null)
        {
            return new ConsumersOptions();
        }

        // The key is only ever the one the file names: a guessed key file beside the certificate would be used
        // without the operator knowing, and the loader could not have checked that it exists.
        var tls = http.Tls;
        return new ConsumersOptions
        {
            BindAddress = ParseAddress(http.BindAddress),
            Port = http.Port,
            BearerToken = string.IsNullOrEmpty(http.BearerToken) ? null : http.BearerToken,
            TlsCertificatePath = tls?.CertificatePath,
            TlsKeyPath = tls?.KeyPath,
            TlsCertificatePassword = tls?.Password,
            Tokens = http.Tokens,
            Audit = http.Audit ?? DefaultAudit(http.Tokens),
        };
    }

    /// <summary>With a tokens file and no audit element, writes are audited in audit.jsonl beside the tokens file.</summary>
    private static AuditConfig? DefaultAudit(TokensConfig? tokens) => tokens is null ? null : new AuditConfig
    {
        FilePath = Path.Combine(Path.GetDirectoryName(tokens.FilePath) ?? ".", "audit.jsonl"),
    };

    private static IPAddress ParseAddress(string text) => text switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "0.0.0.0" => IPAddress.Any,
        "::" => IPAddress.IPv6Any,
        _ => IPAddress.Parse(text),
    };
}
