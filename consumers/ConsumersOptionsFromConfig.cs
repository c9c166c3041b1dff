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

        var tls = http.Tls;
        var certificate = tls?.CertificatePath;
        string? key = null;
        if (certificate is not null && Path.GetExtension(certificate) is ".pem" or ".crt")
        {
            // A PEM certificate's key sits next to it as <name>.key unless the PEM holds both.
            var candidate = Path.ChangeExtension(certificate, ".key");
            key = File.Exists(candidate) ? candidate : null;
        }

        return new ConsumersOptions
        {
            BindAddress = ParseAddress(http.BindAddress),
            Port = http.Port,
            BearerToken = string.IsNullOrEmpty(http.BearerToken) ? null : http.BearerToken,
            TlsCertificatePath = certificate,
            TlsKeyPath = key,
            TlsCertificatePassword = tls?.Password,
        };
    }

    private static IPAddress ParseAddress(string text) => text switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "0.0.0.0" => IPAddress.Any,
        "::" => IPAddress.IPv6Any,
        _ => IPAddress.Parse(text),
    };
}
