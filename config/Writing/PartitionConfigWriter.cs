using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using EdgePartition.Config.Loading;
using EdgePartition.S7.Client;

namespace EdgePartition.Config;

/// <summary>
/// Writes a model back as XML that the loader reads into an equal model: every resolved value (offsets, image size,
/// alive-flag devices) is written explicitly; settings equal to their default are left out to keep files readable.
/// </summary>
public static class PartitionConfigWriter
{
    private static readonly XNamespace P = ConfigSchemas.PartitionNamespace;

    /// <summary>
    /// Writes the partition file <paramref name="fileName"/> and one endpoint file per entry of
    /// <see cref="PartitionConfig.EndpointFiles"/> (named after the partition file) into <paramref name="directory"/>.
    /// Returns the partition file's path.
    /// </summary>
    public static string Save(PartitionConfig config, string directory, string fileName)
    {
        Directory.CreateDirectory(directory);
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var includes = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in config.EndpointFiles)
        {
            var name = $"{stem}-{file.Protocol.ToString().ToLowerInvariant()}.xml";
            for (var n = 2; !used.Add(name); n++)
            {
                name = $"{stem}-{file.Protocol.ToString().ToLowerInvariant()}-{n}.xml";
            }

            includes.Add(name);
            WriteFile(ToXml(file), Path.Combine(directory, name));
        }

        var path = Path.Combine(directory, fileName);
        WriteFile(ToXml(config, includes), path);
        return path;
    }

    /// <summary>Writes a document as UTF-8 with a declaration and two-space indentation.</summary>
    public static void WriteFile(XDocument document, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new System.Text.UTF8Encoding(false) };
        using var writer = XmlWriter.Create(path, settings);
        document.Save(writer);
    }

    /// <summary>The partition file, including the endpoint files at <paramref name="includePaths"/> (one per endpoint file).</summary>
    public static XDocument ToXml(PartitionConfig config, IReadOnlyList<string> includePaths)
    {
        var root = new XElement(P + "partition", new XAttribute("name", config.Name));
        if (config.SegmentDirectory != PartitionConfig.DefaultSegmentDirectory)
        {
            root.Add(new XAttribute("segmentDirectory", config.SegmentDirectory));
        }

        foreach (var include in includePaths)
        {
            root.Add(new XElement(P + "include", new XAttribute("path", include)));
        }

        if (config.Sync is { } sync)
        {
            root.Add(SyncToXml(sync));
        }

        if (ConsumersToXml(config.Consumers) is { } consumers)
        {
            root.Add(consumers);
        }

        root.Add(LoggingToXml(config.Logging));
        if (RealtimeToXml(config.Realtime) is { } realtime)
        {
            root.Add(realtime);
        }

        return new XDocument(new XDeclaration("1.0", "UTF-8", null), root);
    }

    /// <summary>One endpoint file.</summary>
    public static XDocument ToXml(EndpointFileConfig file)
    {
        var (ns, rootName) = file.Protocol switch
        {
            Protocol.S7 => ((XNamespace)ConfigSchemas.S7Namespace, "s7Devices"),
            Protocol.Modbus => (ConfigSchemas.ModbusNamespace, "modbusDevices"),
            Protocol.OpcUa => (ConfigSchemas.OpcUaNamespace, "opcUaDevices"),
            _ => (ConfigSchemas.SimNamespace, "simDevices"),
        };
        var root = new XElement(ns + rootName);
        foreach (var device in file.Devices)
        {
            root.Add(DeviceToXml(device, ns));
        }

        return new XDocument(new XDeclaration("1.0", "UTF-8", null), root);
    }

    private static XElement DeviceToXml(DeviceConfig device, XNamespace ns)
    {
        var element = new XElement(ns + "device", new XAttribute("name", device.Name));
        switch (device.Connection)
        {
            case S7ConnectionConfig s7:
                element.Add(new XAttribute("host", s7.Host));
                Optional(element, "port", s7.Port, S7ConnectionConfig.DefaultPort);
                if (s7.LocalTsap is { } local && s7.RemoteTsap is { } remote)
                {
                    element.Add(new XAttribute("localTsap", local.ToString("X4", CultureInfo.InvariantCulture)));
                    element.Add(new XAttribute("remoteTsap", remote.ToString("X4", CultureInfo.InvariantCulture)));
                }

                element.Add(new XAttribute("rack", Text(s7.Rack)), new XAttribute("slot", Text(s7.Slot)));
                Optional(element, "connectionType", ConnectionTypeName(s7.ConnectionType), ConnectionTypeName(S7ConnectionType.Pg));
                Optional(element, "pduSize", s7.PduSize, 960);
                Optional(element, "timeoutMs", Milliseconds(s7.Timeout), 3000);
                break;
            case ModbusConnectionConfig modbus:
                element.Add(new XAttribute("host", modbus.Host));
                Optional(element, "port", modbus.Port, ModbusConnectionConfig.DefaultPort);
                Optional(element, "unitId", modbus.UnitId, 1);
                Optional(element, "addressBase", modbus.AddressBase, 0);
                Optional(element, "maxRegisters", modbus.MaxRegistersPerRequest, 125);
                Optional(element, "maxBits", modbus.MaxBitsPerRequest, 2000);
                Optional(element, "requestsInFlight", modbus.RequestsInFlight, 1);
                Optional(element, "timeoutMs", Milliseconds(modbus.Timeout), 1000);
                break;
            case OpcUaConnectionConfig opcUa:
                AddOpcUaConnection(element, opcUa, ns);
                break;
        }

        foreach (var group in device.PollGroups)
        {
            var groupElement = new XElement(ns + "pollGroup", new XAttribute("name", group.Name), new XAttribute("cycleMs", Milliseconds(group.CycleTime)));
            if (group.OpcUa is { } opcUaGroup)
            {
                AddOpcUaGroup(groupElement, opcUaGroup);
            }

            foreach (var tag in group.Tags)
            {
                groupElement.Add(TagToXml(tag, device.Protocol, ns));
            }

            element.Add(groupElement);
        }

        return element;
    }

    /// <summary>passwordFile="..." or passwordEnv="..." (the source of a secret, never the secret).</summary>
    private static XAttribute? SecretAttribute(string name, SecretSource? source) => source switch
    {
        { FilePath: { } path } => new XAttribute(name + "File", path),
        { EnvironmentVariable: { } variable } => new XAttribute(name + "Env", variable),
        _ => null,
    };

    private static void AddOpcUaConnection(XElement element, OpcUaConnectionConfig opcUa, XNamespace ns)
    {
        element.Add(new XAttribute("endpointUrl", opcUa.EndpointUrl));
        Optional(element, "securityPolicy", opcUa.SecurityPolicy, OpcUaSecurityPolicy.None);
        Optional(element, "securityMode", opcUa.SecurityMode, OpcUaSecurityMode.None);
        Optional(element, "applicationUri", opcUa.ApplicationUri, OpcUaConnectionConfig.DefaultApplicationUri);
        Optional(element, "timeoutMs", Milliseconds(opcUa.Timeout), 5000);
        Optional(element, "reconnectMs", Milliseconds(opcUa.ReconnectInterval), 30000);
        var identity = opcUa.Identity;
        XElement? token = identity.Kind switch
        {
            OpcUaIdentityKind.UserName => new XElement(ns + "userName", new XAttribute("name", identity.UserName ?? ""), SecretAttribute("password", identity.Password)),
            OpcUaIdentityKind.Certificate => new XElement(ns + "certificate", new XAttribute("certificate", identity.CertificatePath ?? ""), new XAttribute("privateKey", identity.PrivateKeyPath ?? "")),
            _ => null,
        };
        if (token is not null)
        {
            element.Add(new XElement(ns + "user", token));
        }

        if (opcUa.Pki is { } pki)
        {
            var pkiElement = new XElement(ns + "pki", new XAttribute("own", pki.OwnDirectory), new XAttribute("trusted", pki.TrustedDirectory));
            Optional(pkiElement, "issuers", pki.IssuersDirectory);
            Optional(pkiElement, "rejected", pki.RejectedDirectory);
            element.Add(pkiElement);
        }
    }

    private static XElement TagToXml(TagConfig tag, Protocol protocol, XNamespace ns)
    {
        var element = new XElement(ns + "tag", new XAttribute("name", tag.Name));
        if (protocol == Protocol.Sim)
        {
            var sim = tag.Simulation ?? new SimulationConfig { Generator = SimGenerator.Constant };
            element.Add(new XAttribute("type", tag.DataType), new XAttribute("generator", sim.Generator.ToString().ToLowerInvariant()));
            Optional(element, "periodMs", Milliseconds(sim.Period), 1000);
            Optional(element, "min", sim.Min, 0);
            Optional(element, "max", sim.Max, 100);
            Optional(element, "value", sim.Value, 0);
        }
        else
        {
            element.Add(new XAttribute("address", tag.Address), new XAttribute("type", tag.DataType));
            Optional(element, "length", tag.ArrayLength, 1);
            if (tag.StringLength is { } stringLength)
            {
                element.Add(new XAttribute("stringLength", Text(stringLength)));
            }

            if (protocol == Protocol.Modbus)
            {
                Optional(element, "byteOrder", tag.ByteOrder, ByteOrder.ABCD);
            }
        }

        Optional(element, "scale", tag.Scale, 1);
        Optional(element, "scaleOffset", tag.ScaleOffset, 0);
        Optional(element, "deadband", tag.Deadband, 0);
        if (tag.ServerDeadband is { } serverDeadband)
        {
            element.Add(new XAttribute("serverDeadband", XmlConvert.ToString(serverDeadband.Value)));
            Optional(element, "serverDeadbandType", serverDeadband.Type, OpcUaDeadbandType.Absolute);
        }

        Optional(element, "writable", tag.Writable, false);
        Optional(element, "description", tag.Description);
        return element;
    }

    private static XElement SyncToXml(SyncConfig sync)
    {
        var element = new XElement(P + "sync");
        Optional(element, "cycleMs", Milliseconds(sync.CycleTime), 50);
        Optional(element, "fullRefreshMs", Milliseconds(sync.FullRefreshInterval), 5000);
        element.Add(new XAttribute("imageSize", Text(sync.ImageSize)));
        foreach (var c in sync.Contributions)
        {
            var child = new XElement(
                P + (c.Kind == SyncContributionKind.Block ? "block" : "variable"),
                new XAttribute("device", c.Device),
                new XAttribute("tag", c.Tag),
                new XAttribute("imageOffset", Text(c.ImageOffset)));
            if (c.IsBit)
            {
                child.Add(new XAttribute("imageBit", Text(c.ImageBit)));
            }

            element.Add(child);
        }

        if (sync.ServerHeartbeat is { } heartbeat)
        {
            element.Add(new XElement(P + "serverHeartbeat", new XAttribute("imageOffset", Text(heartbeat.ImageOffset)), new XAttribute("modulo", Text(heartbeat.Modulo))));
        }

        if (sync.AliveFlags is { } alive)
        {
            var aliveElement = new XElement(P + "aliveFlags", new XAttribute("imageOffset", Text(alive.ImageOffset)));
            foreach (var device in alive.Devices)
            {
                aliveElement.Add(new XElement(P + "device", new XAttribute("name", device)));
            }

            element.Add(aliveElement);
        }

        foreach (var receiver in sync.Receivers)
        {
            element.Add(new XElement(P + "receive", new XAttribute("device", receiver.Device), new XAttribute("tag", receiver.Tag)));
        }

        foreach (var watch in sync.DeviceHeartbeats)
        {
            element.Add(new XElement(P + "deviceHeartbeat", new XAttribute("device", watch.Device), new XAttribute("tag", watch.Tag), new XAttribute("timeoutMs", Milliseconds(watch.Timeout))));
        }

        foreach (var pair in sync.RequestAcks)
        {
            var pairElement = new XElement(
                P + "requestAck",
                new XAttribute("name", pair.Name),
                new XAttribute("requester", pair.RequesterDevice),
                new XAttribute("requestTag", pair.RequestTag),
                new XAttribute("ackTag", pair.AckTag),
                new XAttribute("executor", pair.ExecutorDevice),
                new XAttribute("stateTag", pair.StateTag),
                new XAttribute("timeoutMs", Milliseconds(pair.Timeout)));
            Optional(pairElement, "withdrawOnTimeout", pair.WithdrawOnTimeout, fallback: false);
            element.Add(pairElement);
        }

        return element;
    }

    private static XElement? ConsumersToXml(ConsumersConfig consumers)
    {
        if (consumers.Http is null && consumers.S7Server is null && consumers.ModbusServer is null)
        {
            return null;
        }

        var element = new XElement(P + "consumers");
        if (consumers.Http is { } http)
        {
            var httpElement = new XElement(P + "http", new XAttribute("bind", http.BindAddress), new XAttribute("port", Text(http.Port)));
            Optional(httpElement, "bearerToken", http.BearerToken);
            if (http.Tls is { } tls)
            {
                var tlsElement = new XElement(P + "tls", new XAttribute("certificate", tls.CertificatePath));
                Optional(tlsElement, "key", tls.KeyPath);
                Optional(tlsElement, "password", tls.Password);
                httpElement.Add(tlsElement);
            }

            if (http.Tokens is { } tokens)
            {
                httpElement.Add(new XElement(P + "tokens", new XAttribute("file", tokens.FilePath), new XAttribute("writesPerSecond", Text(tokens.WritesPerSecond))));
            }

            if (http.Audit is { } audit)
            {
                httpElement.Add(new XElement(P + "audit", new XAttribute("file", audit.FilePath),
                    new XAttribute("maxKilobytes", Text((int)(audit.MaxBytes / 1024))), new XAttribute("keep", Text(audit.Keep))));
            }

            element.Add(httpElement);
        }

        AddServer(element, "s7Server", consumers.S7Server);
        AddServer(element, "modbusServer", consumers.ModbusServer);
        return element;
    }

    private static void AddServer(XElement parent, string name, ServerEndpointConfig? server)
    {
        if (server is not null)
        {
            parent.Add(new XElement(P + name, new XAttribute("bind", server.BindAddress), new XAttribute("port", Text(server.Port)), new XAttribute("readOnly", server.ReadOnly ? "true" : "false")));
        }
    }

    private static XElement LoggingToXml(LoggingConfig logging)
    {
        var element = new XElement(P + "logging", new XAttribute("level", logging.Level.ToString()));
        if (logging.File is { } file)
        {
            var fileElement = new XElement(P + "file", new XAttribute("path", file.Path), new XAttribute("rollingInterval", file.RollingInterval.ToString()));
            if (file.SizeLimitBytes is { } limit)
            {
                fileElement.Add(new XAttribute("sizeLimitBytes", limit.ToString(CultureInfo.InvariantCulture)));
            }

            fileElement.Add(new XAttribute("retainedFiles", Text(file.RetainedFiles)));
            element.Add(fileElement);
        }

        return element;
    }

    private static XElement? RealtimeToXml(RealtimeConfig realtime)
    {
        if (realtime.Collector is null && realtime.Sync is null)
        {
            return null;
        }

        var element = new XElement(P + "realtime");
        AddThread(element, "collector", realtime.Collector);
        AddThread(element, "sync", realtime.Sync);
        return element;
    }

    private static void AddThread(XElement parent, string name, ThreadSchedulingConfig? thread)
    {
        if (thread is null)
        {
            return;
        }

        var element = new XElement(P + name);
        if (thread.Priority is { } priority)
        {
            element.Add(new XAttribute("priority", Text(priority)));
        }

        if (thread.Cpus.Count > 0)
        {
            element.Add(new XAttribute("cpus", string.Join(",", thread.Cpus)));
        }

        parent.Add(element);
    }

    /// <summary>An OPC UA group's mode and subscription settings, each only when it differs from the default.</summary>
    private static void AddOpcUaGroup(XElement element, OpcUaGroupConfig group)
    {
        if (group.Mode == OpcUaGroupMode.Poll)
        {
            element.Add(new XAttribute("mode", "poll"));
        }

        if (group.SamplingInterval is { } sampling)
        {
            element.Add(new XAttribute("samplingMs", Milliseconds(sampling)));
        }

        Optional(element, "queueSize", (int)group.QueueSize, 1);
        Optional(element, "discardOldest", group.DiscardOldest, true);
    }

    private static void Optional(XElement element, string name, int value, int fallback)
    {
        if (value != fallback)
        {
            element.Add(new XAttribute(name, Text(value)));
        }
    }

    private static void Optional(XElement element, string name, double value, double fallback)
    {
        if (!value.Equals(fallback))
        {
            element.Add(new XAttribute(name, XmlConvert.ToString(value)));
        }
    }

    private static void Optional(XElement element, string name, bool value, bool fallback)
    {
        if (value != fallback)
        {
            element.Add(new XAttribute(name, value ? "true" : "false"));
        }
    }

    private static void Optional<TEnum>(XElement element, string name, TEnum value, TEnum fallback)
        where TEnum : struct, Enum
    {
        if (!EqualityComparer<TEnum>.Default.Equals(value, fallback))
        {
            element.Add(new XAttribute(name, value.ToString()));
        }
    }

    private static void Optional(XElement element, string name, string? value, string? fallback = null)
    {
        if (value is not null && value != fallback)
        {
            element.Add(new XAttribute(name, value));
        }
    }

    /// <summary>The schema's spelling of a connection type (PG, OP, Basic).</summary>
    private static string ConnectionTypeName(S7ConnectionType type) => type switch
    {
        S7ConnectionType.Op => "OP",
        S7ConnectionType.Basic => "Basic",
        _ => "PG",
    };

    private static int Milliseconds(TimeSpan span) => (int)Math.Round(span.TotalMilliseconds);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
