using System.Xml.Linq;

namespace EdgePartition.Config.Loading;

/// <summary>The parts of a schema-valid partition file that need no device to be understood.</summary>
internal sealed class PartitionFile
{
    public required string Name { get; init; }

    public required string SegmentDirectory { get; init; }

    /// <summary>Included files: the resolved path as shown in messages, and where the include was written.</summary>
    public required IReadOnlyList<(string Path, SourceLocation At)> Includes { get; init; }

    public XElement? SyncElement { get; init; }

    public required ConsumersConfig Consumers { get; init; }

    public required LoggingConfig Logging { get; init; }

    public required RealtimeConfig Realtime { get; init; }

    public NorthboundConfig? Northbound { get; init; }

    public XElement? NorthboundElement { get; init; }
}

/// <summary>Reads the partition file's own settings: name, includes, consumers, logging, real time.</summary>
internal static class PartitionFileParser
{
    public static bool IsPartition(XElement root) =>
        root.Name.NamespaceName == ConfigSchemas.PartitionNamespace && root.Name.LocalName == "partition";

    public static PartitionFile Parse(XDocument document, string path, ProblemList problems)
    {
        var values = new XmlValues(path);
        var root = document.Root!;
        XNamespace ns = ConfigSchemas.PartitionNamespace;
        var includes = new List<(string, SourceLocation)>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var directory = Path.GetDirectoryName(path) ?? "";
        foreach (var include in root.Elements(ns + "include"))
        {
            var written = XmlValues.Required(include, "path").Trim();
            var resolved = Path.IsPathRooted(written) ? written : Path.Combine(directory, written);
            var at = values.At(include, "path");
            var key = Path.GetFullPath(resolved);
            if (seen.TryGetValue(key, out var first))
            {
                problems.Add(at, $"'{written}' is already included at {first}");
                continue;
            }

            seen.Add(key, at);
            includes.Add((resolved, at));
        }

        return new PartitionFile
        {
            Name = XmlValues.Required(root, "name"),
            SegmentDirectory = values.Path(XmlValues.Text(root, "segmentDirectory") ?? PartitionConfig.DefaultSegmentDirectory),
            Includes = includes,
            SyncElement = root.Element(ns + "sync"),
            Consumers = ParseConsumers(root.Element(ns + "consumers"), ns, values, problems),
            Logging = ParseLogging(root.Element(ns + "logging"), ns, values),
            Realtime = ParseRealtime(root.Element(ns + "realtime"), ns),
            Northbound = NorthboundParser.Parse(root.Element(ns + "northbound"), ns, XmlValues.Required(root, "name"), values, problems),
            NorthboundElement = root.Element(ns + "northbound"),
        };
    }

    private static ConsumersConfig ParseConsumers(XElement? element, XNamespace ns, XmlValues values, ProblemList problems)
    {
        if (element is null)
        {
            return new ConsumersConfig();
        }

        CheckEndpoints(element, values, problems);

        HttpEndpointConfig? http = null;
        if (element.Element(ns + "http") is { } httpElement)
        {
            var tls = httpElement.Element(ns + "tls");
            http = new HttpEndpointConfig
            {
                BindAddress = XmlValues.Text(httpElement, "bind") ?? HttpEndpointConfig.DefaultBindAddress,
                Port = XmlValues.Int(httpElement, "port", 0),
                BearerToken = XmlValues.Text(httpElement, "bearerToken"),
                Tls = tls is null ? null : ParseTls(tls, values, problems),
                Tokens = ParseTokens(httpElement.Element(ns + "tokens"), values, problems),
                Audit = ParseAudit(httpElement.Element(ns + "audit"), values),
            };
            CheckWritesNeedTls(http, httpElement, values, problems);
        }

        return new ConsumersConfig
        {
            Http = http,
            S7Server = ParseServer(element.Element(ns + "s7Server")),
            ModbusServer = ParseServer(element.Element(ns + "modbusServer")),
        };
    }

    /// <summary>The tokens file is read and checked now, so a bad line stops the start with its file:line.</summary>
    private static TokensConfig? ParseTokens(XElement? tokens, XmlValues values, ProblemList problems)
    {
        if (tokens is null)
        {
            return null;
        }

        var path = values.Path(XmlValues.Required(tokens, "file"));
        var rate = XmlValues.Int(tokens, "writesPerSecond", TokensConfig.DefaultWritesPerSecond);
        return TokenFileFormat.Parse(path, rate, problems.Add);
    }

    private static AuditConfig? ParseAudit(XElement? audit, XmlValues values) => audit is null ? null : new AuditConfig
    {
        FilePath = values.Path(XmlValues.Required(audit, "file")),
        MaxBytes = (XmlValues.OptionalLong(audit, "maxKilobytes") ?? 10 * 1024) * 1024,
        Keep = XmlValues.Int(audit, "keep", 5),
    };

    /// <summary>
    /// A token that may write must not cross a network in clear text: writes are allowed on plain HTTP only when
    /// the endpoint listens on loopback.
    /// </summary>
    private static void CheckWritesNeedTls(HttpEndpointConfig http, XElement httpElement, XmlValues values, ProblemList problems)
    {
        if (!http.AllowsWrites || http.Tls is not null || IsLoopback(http.BindAddress))
        {
            return;
        }

        problems.Add(values.At(httpElement, "bind"),
            $"writes are enabled (a write token in {http.Tokens!.FilePath}) but the HTTP endpoint listens on {http.BindAddress} without TLS: " +
            "add <tls certificate=.../>, bind 127.0.0.1, or give the tokens the read role only");
    }

    private static bool IsLoopback(string bind) =>
        bind == "localhost" || (System.Net.IPAddress.TryParse(bind, out var address) && System.Net.IPAddress.IsLoopback(address));

    /// <summary>
    /// The certificate and key files must exist now: a missing file found at start-up is a configuration error
    /// with its line, not an exception from the consumers process after the collectors are already running.
    /// Their content (key matches certificate, password) is checked when the consumers process loads them.
    /// </summary>
    private static TlsConfig ParseTls(XElement tls, XmlValues values, ProblemList problems)
    {
        var certificate = values.Path(XmlValues.Required(tls, "certificate"));
        if (!File.Exists(certificate))
        {
            problems.Add(values.At(tls, "certificate"), $"TLS certificate file not found: {certificate}");
        }

        string? key = null;
        if (XmlValues.Text(tls, "key") is { } writtenKey)
        {
            key = values.Path(writtenKey);
            if (TlsConfig.IsPkcs12(certificate))
            {
                problems.Add(values.At(tls, "key"), $"a PKCS#12 certificate ({Path.GetFileName(certificate)}) holds its own key; remove 'key' or use a PEM certificate");
            }
            else if (!File.Exists(key))
            {
                problems.Add(values.At(tls, "key"), $"TLS key file not found: {key}");
            }
        }

        return new TlsConfig { CertificatePath = certificate, KeyPath = key, Password = XmlValues.Text(tls, "password") };
    }

    /// <summary>Every bind address must be an IP address (or localhost / *), and no two endpoints may share a port.</summary>
    private static void CheckEndpoints(XElement consumers, XmlValues values, ProblemList problems)
    {
        var ports = new Dictionary<int, XElement>();
        foreach (var endpoint in consumers.Elements())
        {
            var bind = XmlValues.Text(endpoint, "bind") ?? HttpEndpointConfig.DefaultBindAddress;
            if (bind is not ("localhost" or "*") && !System.Net.IPAddress.TryParse(bind, out _))
            {
                problems.Add(values.At(endpoint, "bind"), $"bind address '{bind}' is not an IP address (use e.g. 127.0.0.1, 0.0.0.0, ::1, localhost or *)");
            }

            var port = XmlValues.Int(endpoint, "port", 0);
            if (ports.TryGetValue(port, out var first))
            {
                problems.Add(values.At(endpoint, "port"), $"port {port} is already used by <{first.Name.LocalName}> at {values.At(first, "port")}");
            }
            else
            {
                ports.Add(port, endpoint);
            }
        }
    }

    private static ServerEndpointConfig? ParseServer(XElement? element) => element is null ? null : new ServerEndpointConfig
    {
        BindAddress = XmlValues.Text(element, "bind") ?? HttpEndpointConfig.DefaultBindAddress,
        Port = XmlValues.Int(element, "port", 0),
        ReadOnly = XmlValues.Bool(element, "readOnly", true),
    };

    private static LoggingConfig ParseLogging(XElement? element, XNamespace ns, XmlValues values)
    {
        if (element is null)
        {
            return new LoggingConfig();
        }

        var file = element.Element(ns + "file");
        return new LoggingConfig
        {
            Level = XmlValues.Enum(element, "level", LogLevelSetting.Information),
            File = file is null ? null : new LogFileConfig
            {
                Path = values.Path(XmlValues.Required(file, "path")),
                RollingInterval = XmlValues.Enum(file, "rollingInterval", LogRollingInterval.Day),
                SizeLimitBytes = XmlValues.OptionalLong(file, "sizeLimitBytes"),
                RetainedFiles = XmlValues.Int(file, "retainedFiles", 14),
            },
        };
    }

    private static RealtimeConfig ParseRealtime(XElement? element, XNamespace ns) => element is null ? new RealtimeConfig() : new RealtimeConfig
    {
        Collector = ParseThread(element.Element(ns + "collector")),
        Sync = ParseThread(element.Element(ns + "sync")),
    };

    private static ThreadSchedulingConfig? ParseThread(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var cpus = new List<int>();
        if (XmlValues.Text(element, "cpus") is { } list)
        {
            foreach (var cpu in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                cpus.Add(int.Parse(cpu, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return new ThreadSchedulingConfig { Priority = XmlValues.OptionalInt(element, "priority"), Cpus = cpus };
    }
}
