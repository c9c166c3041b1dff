using System.Xml.Linq;

namespace EdgePartition.Config.Loading;

/// <summary>
/// Reads &lt;northbound&gt; (schema-valid already) and makes the checks a schema cannot: broker URIs, TLS files that
/// exist, exactly one password source, patterns that name a device of the partition.
/// </summary>
internal static class NorthboundParser
{
    public static NorthboundConfig? Parse(XElement? element, XNamespace ns, string partitionName, XmlValues values, ProblemList problems)
    {
        if (element is null)
        {
            return null;
        }

        var brokers = new List<MqttBrokerConfig>();
        foreach (var broker in element.Elements(ns + "broker"))
        {
            if (ParseBroker(XmlValues.Required(broker, "uri"), out var parsed, out var problem))
            {
                brokers.Add(parsed);
            }
            else
            {
                problems.Add(values.At(broker, "uri"), problem);
            }
        }

        var group = XmlValues.Required(element, "groupId");
        var node = XmlValues.Text(element, "edgeNodeId") ?? partitionName;
        var reconnectMin = XmlValues.Milliseconds(element, "reconnectMinMs", TimeSpan.FromSeconds(1));
        var reconnectMax = XmlValues.Milliseconds(element, "reconnectMaxMs", TimeSpan.FromSeconds(60));
        if (reconnectMax < reconnectMin)
        {
            problems.Add(values.At(element, "reconnectMaxMs"), $"reconnectMaxMs ({reconnectMax.TotalMilliseconds}) is smaller than reconnectMinMs ({reconnectMin.TotalMilliseconds})");
        }

        var tls = element.Element(ns + "tls") is { } tlsElement ? ParseTls(tlsElement, values, problems) : null;
        if (tls is null && brokers.Exists(b => b.UseTls))
        {
            tls = new MqttTlsConfig();
        }

        return new NorthboundConfig
        {
            Brokers = brokers,
            GroupId = group,
            EdgeNodeId = node,
            ClientId = XmlValues.Text(element, "clientId") ?? $"edgepart-{group}-{node}",
            PrimaryHostId = XmlValues.Text(element, "primaryHostId"),
            KeepAlive = TimeSpan.FromSeconds(XmlValues.Int(element, "keepAliveSeconds", 15)),
            BirthPacing = TimeSpan.FromMilliseconds(XmlValues.Int(element, "birthPacingMs", 5)),
            ReconnectMin = reconnectMin,
            ReconnectMax = reconnectMax,
            Tls = tls,
            Credentials = element.Element(ns + "credentials") is { } credentials ? ParseCredentials(credentials, values, problems) : null,
            Publish = [.. element.Elements(ns + "publish").Select(p => new NorthboundPublishRule
            {
                Device = XmlValues.Text(p, "device") ?? "*",
                Tags = XmlValues.Text(p, "tags") ?? "*",
                Deadband = XmlValues.Double(p, "deadband", 0),
            })],
            Store = element.Element(ns + "store") is { } store ? ParseStore(store, values) : new StoreAndForwardConfig(),
            AllowWrites = [.. element.Elements(ns + "allowWrite").Select(a => new NorthboundCommandRule
            {
                Device = XmlValues.Text(a, "device") ?? "*",
                Tags = XmlValues.Text(a, "tags") ?? "*",
            })],
            Uns = element.Element(ns + "uns") is { } uns ? new UnsTopicsConfig
            {
                Prefix = XmlValues.Required(uns, "prefix").TrimEnd('/'),
                Retain = XmlValues.Bool(uns, "retain", true),
            } : null,
        };
    }

    /// <summary>Device patterns without wildcards must name a device of the partition (a typo publishes nothing).</summary>
    public static void CheckDevices(XElement? element, XNamespace ns, IReadOnlyList<DeviceConfig> devices, XmlValues values, ProblemList problems)
    {
        if (element is null)
        {
            return;
        }

        foreach (var rule in element.Elements(ns + "publish").Concat(element.Elements(ns + "allowWrite")))
        {
            var device = XmlValues.Text(rule, "device") ?? "*";
            if (!device.Contains('*', StringComparison.Ordinal) && !device.Contains('?', StringComparison.Ordinal) && !devices.Any(d => d.Name == device))
            {
                problems.Add(values.At(rule, "device"), $"no device '{device}' in this partition");
            }
        }
    }

    /// <summary>mqtt://host[:port] or mqtts://host[:port]; IPv6 hosts in brackets.</summary>
    internal static bool ParseBroker(string uri, out MqttBrokerConfig broker, out string problem)
    {
        broker = null!;
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("mqtt" or "mqtts") || string.IsNullOrEmpty(parsed.Host))
        {
            problem = $"broker uri '{uri}' is not mqtt://host:port or mqtts://host:port";
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            // Do not repeat the URI: it may hold a password.
            problem = "broker uri must not carry a user or password: use <credentials> with passwordFile or passwordEnvironment";
            return false;
        }

        var tls = parsed.Scheme == "mqtts";
        broker = new MqttBrokerConfig
        {
            Host = parsed.Host.Trim('[', ']'),
            Port = parsed.IsDefaultPort || parsed.Port <= 0 ? (tls ? 8883 : 1883) : parsed.Port,
            UseTls = tls,
        };
        problem = "";
        return true;
    }

    private static MqttTlsConfig ParseTls(XElement tls, XmlValues values, ProblemList problems)
    {
        string? File(string attribute)
        {
            if (XmlValues.Text(tls, attribute) is not { } written)
            {
                return null;
            }

            var path = values.Path(written);
            if (!System.IO.File.Exists(path))
            {
                problems.Add(values.At(tls, attribute), $"TLS {attribute} file not found: {path}");
            }

            return path;
        }

        var certificate = File("certificate");
        var key = File("key");
        if ((certificate is null) != (key is null))
        {
            problems.Add(values.At(tls), "a client certificate needs both 'certificate' and 'key'");
        }

        return new MqttTlsConfig { CaPath = File("ca"), CertificatePath = certificate, KeyPath = key, ServerName = XmlValues.Text(tls, "serverName") };
    }

    private static MqttCredentialsConfig ParseCredentials(XElement credentials, XmlValues values, ProblemList problems)
    {
        var file = XmlValues.Text(credentials, "passwordFile") is { } written ? values.Path(written) : null;
        var environment = XmlValues.Text(credentials, "passwordEnvironment");
        if ((file is null) == (environment is null))
        {
            problems.Add(values.At(credentials), "give the password in exactly one of passwordFile or passwordEnvironment");
        }

        return new MqttCredentialsConfig
        {
            UserName = XmlValues.Required(credentials, "user"),
            PasswordFile = file,
            PasswordEnvironmentVariable = environment,
        };
    }

    private static StoreAndForwardConfig ParseStore(XElement store, XmlValues values) => new()
    {
        Enabled = XmlValues.Bool(store, "enabled", true),
        Directory = XmlValues.Text(store, "directory") is { } directory ? values.Path(directory) : null,
        MaxBytes = XmlValues.Int(store, "maxMegabytes", 64) * 1024L * 1024,
        MaxAge = TimeSpan.FromMinutes(XmlValues.Int(store, "maxAgeMinutes", 1440)),
        Sync = XmlValues.Enum(store, "fsync", StoreSyncPolicy.Interval),
        ReplayPerSecond = XmlValues.Int(store, "replayPerSecond", 200),
    };
}
