using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EdgePartition.Config;
using MQTTnet;

namespace EdgePartition.Northbound.Mqtt;

/// <summary>
/// Builds the CONNECT options of one session (Sparkplug §5.4): clean start with session expiry 0, the NDEATH Will
/// (QoS 1, not retained) carrying this session's bdSeq, TLS and credentials. New options for every attempt, since
/// the Will changes. The password is read here, at connect time, and goes nowhere else.
/// </summary>
internal static class MqttOptionsFactory
{
    public static MqttClientOptions Create(NorthboundConfig config, MqttBrokerConfig broker, string willTopic, byte[] willPayload)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId(config.ClientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithSessionExpiryInterval(0)
            .WithKeepAlivePeriod(config.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(willTopic)
            .WithWillPayload(willPayload)
            .WithWillQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain(false);
        if (config.Credentials is { } credentials)
        {
            builder.WithCredentials(credentials.UserName, ReadPassword(credentials));
        }

        if (broker.UseTls)
        {
            var tls = config.Tls ?? new MqttTlsConfig();
            builder.WithTlsOptions(o =>
            {
                o.WithTargetHost(tls.ServerName ?? broker.Host);
                o.WithRevocationMode(X509RevocationMode.NoCheck);
                if (tls.CertificatePath is { } certificate && tls.KeyPath is { } key)
                {
                    o.WithClientCertificates([X509Certificate2.CreateFromPemFile(certificate, key)]);
                }

                if (tls.CaPath is { } ca)
                {
                    var authorities = new X509Certificate2Collection();
                    authorities.ImportFromPemFile(ca);
                    o.WithCertificateValidationHandler(args => ValidateAgainst(authorities, args.Certificate, args.SslPolicyErrors));
                }
            });
        }

        return builder.Build();
    }

    /// <summary>The password from its file or environment variable; an error message that never contains it.</summary>
    public static string ReadPassword(MqttCredentialsConfig credentials)
    {
        if (credentials.PasswordFile is { } file)
        {
            try
            {
                return File.ReadAllText(file).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new MqttCredentialsException($"cannot read the MQTT password file {file}: {e.Message}");
            }
        }

        var variable = credentials.PasswordEnvironmentVariable!;
        return Environment.GetEnvironmentVariable(variable)
            ?? throw new MqttCredentialsException($"the environment variable {variable} that should hold the MQTT password is not set");
    }

    /// <summary>The broker's certificate must chain to the configured CA (only) and match the expected name.</summary>
    private static bool ValidateAgainst(X509Certificate2Collection authorities, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}

/// <summary>The password source is unusable; the message names the source, never the password.</summary>
internal sealed class MqttCredentialsException(string message) : Exception(message);
