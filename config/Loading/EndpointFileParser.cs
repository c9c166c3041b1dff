using System.Xml.Linq;
using EdgePartition.Modbus;
using EdgePartition.Modbus.Data;
using EdgePartition.S7;
using EdgePartition.S7.Client;

namespace EdgePartition.Config.Loading;

/// <summary>
/// Builds the model of one schema-valid endpoint file and makes the per-device checks a schema cannot: address
/// notation and ranges, duplicate poll group and tag names, overlapping addresses, security settings.
/// </summary>
internal static class EndpointFileParser
{
    /// <summary>The protocol an endpoint file's root element declares, or null for anything else.</summary>
    public static Protocol? ProtocolOf(XElement root) => (root.Name.NamespaceName, root.Name.LocalName) switch
    {
        (ConfigSchemas.S7Namespace, "s7Devices") => Protocol.S7,
        (ConfigSchemas.ModbusNamespace, "modbusDevices") => Protocol.Modbus,
        (ConfigSchemas.OpcUaNamespace, "opcUaDevices") => Protocol.OpcUa,
        (ConfigSchemas.SimNamespace, "simDevices") => Protocol.Sim,
        _ => null,
    };

    public static EndpointFileConfig Parse(XDocument document, Protocol protocol, string path, ProblemList problems)
    {
        var values = new XmlValues(path);
        var root = document.Root!;
        var devices = new List<DeviceConfig>();
        foreach (var element in root.Elements(root.Name.Namespace + "device"))
        {
            devices.Add(ParseDevice(element, protocol, values, problems));
        }

        return new EndpointFileConfig { Protocol = protocol, Path = Path.GetFullPath(path), Devices = devices };
    }

    private static DeviceConfig ParseDevice(XElement element, Protocol protocol, XmlValues values, ProblemList problems)
    {
        var ns = element.Name.Namespace;
        ConnectionConfig connection = protocol switch
        {
            Protocol.S7 => ParseS7Connection(element, values, problems),
            Protocol.Modbus => ParseModbusConnection(element),
            Protocol.OpcUa => ParseOpcUaConnection(element, values, problems),
            _ => new SimConnectionConfig(),
        };

        var groups = new List<PollGroupConfig>();
        var groupNames = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var tagNames = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var deviceName = XmlValues.Required(element, "name");
        foreach (var groupElement in element.Elements(ns + "pollGroup"))
        {
            var groupName = XmlValues.Required(groupElement, "name");
            CheckUnique(groupNames, groupName, values.At(groupElement, "name"), $"poll group '{groupName}' of device '{deviceName}'", problems);
            var tags = new List<TagConfig>();
            foreach (var tagElement in groupElement.Elements(ns + "tag"))
            {
                var tag = ParseTag(tagElement, groupName, protocol, connection, values, problems);
                CheckUnique(tagNames, tag.Name, values.At(tagElement, "name"), $"tag '{tag.Name}' of device '{deviceName}'", problems);
                tags.Add(tag);
            }

            groups.Add(new PollGroupConfig
            {
                Name = groupName,
                CycleTime = XmlValues.Milliseconds(groupElement, "cycleMs", TimeSpan.FromSeconds(1)),
                Tags = tags,
                OpcUa = protocol == Protocol.OpcUa ? OpcUaGroupParser.Parse(groupElement, values, problems) : null,
                Location = values.At(groupElement),
            });
        }

        var device = new DeviceConfig
        {
            Name = deviceName,
            Protocol = protocol,
            Connection = connection,
            PollGroups = groups,
            Location = values.At(element),
        };
        AddressOverlapCheck.Check(device, problems);
        return device;
    }

    private static void CheckUnique(Dictionary<string, SourceLocation> seen, string name, SourceLocation at, string what, ProblemList problems)
    {
        if (seen.TryGetValue(name, out var first))
        {
            problems.Add(at, $"duplicate {what}: first declared at {first}");
        }
        else
        {
            seen.Add(name, at);
        }
    }

    private static S7ConnectionConfig ParseS7Connection(XElement element, XmlValues values, ProblemList problems)
    {
        var local = XmlValues.Text(element, "localTsap");
        var remote = XmlValues.Text(element, "remoteTsap");
        if ((local is null) != (remote is null))
        {
            problems.Add(values.At(element, local is null ? "remoteTsap" : "localTsap"), "give both localTsap and remoteTsap, or neither (rack and slot are used then)");
        }

        return new S7ConnectionConfig
        {
            Host = XmlValues.Required(element, "host"),
            Port = XmlValues.Int(element, "port", S7ConnectionConfig.DefaultPort),
            Rack = XmlValues.Int(element, "rack", 0),
            Slot = XmlValues.Int(element, "slot", 1),
            ConnectionType = XmlValues.Enum(element, "connectionType", S7ConnectionType.Pg),
            LocalTsap = local is null ? null : Convert.ToUInt16(local, 16),
            RemoteTsap = remote is null ? null : Convert.ToUInt16(remote, 16),
            PduSize = XmlValues.Int(element, "pduSize", 960),
            Timeout = XmlValues.Milliseconds(element, "timeoutMs", TimeSpan.FromSeconds(3)),
        };
    }

    private static ModbusConnectionConfig ParseModbusConnection(XElement element) => new()
    {
        Host = XmlValues.Required(element, "host"),
        Port = XmlValues.Int(element, "port", ModbusConnectionConfig.DefaultPort),
        UnitId = XmlValues.Int(element, "unitId", 1),
        AddressBase = XmlValues.Int(element, "addressBase", 0),
        MaxRegistersPerRequest = XmlValues.Int(element, "maxRegisters", 125),
        MaxBitsPerRequest = XmlValues.Int(element, "maxBits", 2000),
        RequestsInFlight = XmlValues.Int(element, "requestsInFlight", 1),
        Timeout = XmlValues.Milliseconds(element, "timeoutMs", TimeSpan.FromSeconds(1)),
    };

    private static OpcUaConnectionConfig ParseOpcUaConnection(XElement element, XmlValues values, ProblemList problems)
    {
        var ns = element.Name.Namespace;
        var policyText = XmlValues.Text(element, "securityPolicy") ?? "None";
        if (!OpcUaSecurityPolicies.TryParse(policyText.Trim(), out var policy))
        {
            problems.Add(values.At(element, "securityPolicy"), $"unknown security policy '{policyText}': use None, Basic128Rsa15, Basic256, Basic256Sha256, Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss (or its {OpcUaSecurityPolicies.UriPrefix}NAME URI)");
        }

        var mode = XmlValues.Enum(element, "securityMode", OpcUaSecurityMode.None);
        var allowDeprecated = XmlValues.Bool(element, "allowDeprecated", false);
        if (policy is OpcUaSecurityPolicy.Basic128Rsa15 or OpcUaSecurityPolicy.Basic256 && !allowDeprecated)
        {
            problems.Add(values.At(element, "securityPolicy"), $"security policy {policy} is deprecated (SHA-1): use Basic256Sha256 or newer, or set allowDeprecated=\"true\"");
        }

        if (policy != OpcUaSecurityPolicy.Auto && (policy == OpcUaSecurityPolicy.None) != (mode == OpcUaSecurityMode.None))
        {
            // Report at whichever of the two was written: the other may be a schema default with no real position.
            problems.Add(values.At(element, policy != OpcUaSecurityPolicy.None ? "securityPolicy" : "securityMode"), $"security mode {mode} does not go with policy {policy}: policy None needs mode None, and a real policy needs Sign or SignAndEncrypt");
        }

        OpcUaPkiConfig? pki = null;
        if (element.Element(ns + "pki") is { } pkiElement)
        {
            pki = new OpcUaPkiConfig
            {
                OwnDirectory = values.Path(XmlValues.Required(pkiElement, "own")),
                TrustedDirectory = values.Path(XmlValues.Required(pkiElement, "trusted")),
                IssuersDirectory = XmlValues.Text(pkiElement, "issuers") is { } issuers ? values.Path(issuers) : null,
                RejectedDirectory = XmlValues.Text(pkiElement, "rejected") is { } rejected ? values.Path(rejected) : null,
                Passphrase = Secret(pkiElement, "passphrase", values, problems),
                AutoAcceptUntrusted = XmlValues.Bool(pkiElement, "autoAccept", false),
            };
        }
        else if (policy != OpcUaSecurityPolicy.None)
        {
            problems.Add(values.At(element), $"security policy {policy} needs a <pki> element with the client certificate and trusted folders");
        }

        var identity = OpcUaUserIdentity.Anonymous;
        if (element.Element(ns + "user")?.Elements().FirstOrDefault() is { } user)
        {
            identity = user.Name.LocalName switch
            {
                "userName" => new OpcUaUserIdentity
                {
                    Kind = OpcUaIdentityKind.UserName,
                    UserName = XmlValues.Required(user, "name"),
                    Password = Secret(user, "password", values, problems, required: true),
                },
                "certificate" => UserCertificate(user, values, problems),
                _ => OpcUaUserIdentity.Anonymous,
            };
        }

        return new OpcUaConnectionConfig
        {
            EndpointUrl = XmlValues.Required(element, "endpointUrl").Trim(),
            SecurityPolicy = policy,
            SecurityMode = mode,
            AllowDeprecated = allowDeprecated,
            ApplicationUri = XmlValues.Text(element, "applicationUri") ?? OpcUaConnectionConfig.DefaultApplicationUri,
            Identity = identity,
            Pki = pki,
            Timeout = XmlValues.Milliseconds(element, "timeoutMs", TimeSpan.FromSeconds(5)),
            ReconnectInterval = XmlValues.Milliseconds(element, "reconnectMs", TimeSpan.FromSeconds(30)),
        };
    }

    /// <summary>
    /// A secret named by <c>NAMEFile</c> (a path, which must exist) or <c>NAMEEnv</c> (an environment variable), never
    /// written in the XML; null when neither is given (an error when <paramref name="required"/>).
    /// </summary>
    private static SecretSource? Secret(XElement element, string name, XmlValues values, ProblemList problems, bool required = false)
    {
        var file = XmlValues.Text(element, name + "File");
        var variable = XmlValues.Text(element, name + "Env");
        if (file is not null && variable is not null)
        {
            problems.Add(values.At(element, name + "Env"), $"give either {name}File or {name}Env, not both");
        }

        if (file is not null)
        {
            var path = values.Path(file);
            if (!File.Exists(path))
            {
                problems.Add(values.At(element, name + "File"), $"the {name} file {path} does not exist");
            }

            return new SecretSource { FilePath = path };
        }

        if (variable is not null)
        {
            return new SecretSource { EnvironmentVariable = variable };
        }

        if (required)
        {
            problems.Add(values.At(element), $"<{element.Name.LocalName}> needs {name}File (a file holding it) or {name}Env (an environment variable): secrets are never written in the XML");
        }

        return null;
    }

    /// <summary>An X.509 user: both files must exist and the key must belong to the certificate.</summary>
    private static OpcUaUserIdentity UserCertificate(XElement user, XmlValues values, ProblemList problems)
    {
        var identity = new OpcUaUserIdentity
        {
            Kind = OpcUaIdentityKind.Certificate,
            CertificatePath = values.Path(XmlValues.Required(user, "certificate")),
            PrivateKeyPath = values.Path(XmlValues.Required(user, "privateKey")),
            Passphrase = Secret(user, "passphrase", values, problems),
        };
        foreach (var (attribute, path) in new[] { ("certificate", identity.CertificatePath), ("privateKey", identity.PrivateKeyPath) })
        {
            if (!File.Exists(path))
            {
                problems.Add(values.At(user, attribute), $"the user {attribute} file {path} does not exist");
                return identity;
            }
        }

        var problem = OpcUaKeyCheck.Check(identity.CertificatePath, identity.PrivateKeyPath, identity.Passphrase);
        if (problem is not null)
        {
            problems.Add(values.At(user, "privateKey"), problem);
        }

        return identity;
    }

    /// <summary>Bytes of a fixed-size OPC UA built-in or sim type when sync copies it raw (big-endian); 0 for variable-size types.</summary>
    private static int FixedSize(string type) => type switch
    {
        "Boolean" or "SByte" or "Byte" or "bool" => 1,
        "Int16" or "UInt16" or "int16" => 2,
        "Int32" or "UInt32" or "Float" or "StatusCode" or "int32" or "float32" => 4,
        "Int64" or "UInt64" or "Double" or "DateTime" or "int64" or "float64" => 8,
        "Guid" => 16,
        _ => 0,
    };

    private static TagConfig ParseTag(XElement element, string pollGroup, Protocol protocol, ConnectionConfig connection, XmlValues values, ProblemList problems)
    {
        var name = XmlValues.Required(element, "name");
        var type = XmlValues.Required(element, "type");
        var length = XmlValues.Int(element, "length", 1);
        var stringLength = XmlValues.OptionalInt(element, "stringLength");
        var address = XmlValues.Text(element, "address") ?? "";
        S7Address? s7 = null;
        ModbusAddress? modbus = null;
        OpcUaNodeAddress? opcUa = null;
        SimulationConfig? simulation = null;
        OpcUaServerDeadband? serverDeadband = null;
        var byteLength = 0;
        string error;
        switch (protocol)
        {
            case Protocol.S7:
                if (S7DataTypes.TryParse(type, out var s7Type) && s7Type.IsString())
                {
                    stringLength ??= S7DataTypes.DefaultStringLength;
                }

                if (S7TagAddress.TryParse(address, type, length, stringLength ?? 0, out var parsedS7, out var s7Size, out error))
                {
                    s7 = parsedS7;
                    byteLength = s7Size;
                }
                else
                {
                    problems.Add(values.At(element, "address"), error);
                }

                break;
            case Protocol.Modbus:
                if (type == "string")
                {
                    stringLength ??= ModbusTagAddress.DefaultStringLength;
                }

                var addressBase = ((ModbusConnectionConfig)connection).AddressBase;
                if (ModbusTagAddress.TryParse(address, addressBase, type, length, stringLength ?? 0, out var parsedModbus, out var count, out error))
                {
                    modbus = parsedModbus;
                    byteLength = ModbusTagAddress.ByteLength(parsedModbus.Table, count);
                    if (XmlValues.Bool(element, "writable", false) && !parsedModbus.Table.IsWritable())
                    {
                        problems.Add(values.At(element, "writable"), $"tag '{name}' is writable, but {ModbusTagAddress.TableName(parsedModbus.Table)} addresses are read-only in Modbus; use a coil or holding register");
                    }
                }
                else
                {
                    problems.Add(values.At(element, "address"), error);
                }

                break;
            case Protocol.OpcUa:
                if (type == "String")
                {
                    stringLength ??= 256;
                }

                serverDeadband = OpcUaGroupParser.ParseDeadband(element, type, values, problems);
                if (OpcUaTagAddress.TryParse(address, out var parsedOpcUa, out error))
                {
                    opcUa = parsedOpcUa;
                    byteLength = FixedSize(type) * length;
                }
                else
                {
                    problems.Add(values.At(element, "address"), error);
                }

                break;
            default:
                simulation = new SimulationConfig
                {
                    Generator = XmlValues.Enum(element, "generator", SimGenerator.Constant),
                    Period = XmlValues.Milliseconds(element, "periodMs", TimeSpan.FromSeconds(1)),
                    Min = XmlValues.Double(element, "min", 0),
                    Max = XmlValues.Double(element, "max", 100),
                    Value = XmlValues.Double(element, "value", 0),
                };
                address = XmlValues.Required(element, "generator");
                byteLength = FixedSize(type) * length;
                if (simulation.Min > simulation.Max)
                {
                    problems.Add(values.At(element, "min"), $"min {simulation.Min} is greater than max {simulation.Max}");
                }

                break;
        }

        var deadband = XmlValues.Double(element, "deadband", 0);
        if (deadband < 0 || double.IsNaN(deadband))
        {
            problems.Add(values.At(element, "deadband"), $"deadband must be 0 or more, not {deadband}");
        }

        return new TagConfig
        {
            Name = name,
            Address = address,
            DataType = type,
            ArrayLength = length,
            StringLength = stringLength,
            ByteOrder = XmlValues.Enum(element, "byteOrder", ByteOrder.ABCD),
            Scale = XmlValues.Double(element, "scale", 1),
            ScaleOffset = XmlValues.Double(element, "scaleOffset", 0),
            Deadband = deadband,
            Writable = XmlValues.Bool(element, "writable", false),
            PollGroup = pollGroup,
            Description = XmlValues.Text(element, "description"),
            S7Address = s7,
            ModbusAddress = modbus,
            OpcUaAddress = opcUa,
            ServerDeadband = serverDeadband,
            Simulation = simulation,
            ByteLength = byteLength,
            Location = values.At(element),
        };
    }
}
