using System.Xml.Linq;
using EdgePartition.Config.Loading;

namespace EdgePartition.Config;

/// <summary>
/// Loads a partition file and the endpoint files it includes: schema validation first, then the checks a schema
/// cannot make. Either every file is good and a fully resolved <see cref="PartitionConfig"/> comes back, or a
/// <see cref="ConfigException"/> lists every problem in every file as <c>file:line:column: message</c>.
/// </summary>
public static class PartitionConfigLoader
{
    /// <summary>Loads and checks a partition file; throws <see cref="ConfigException"/> listing every problem.</summary>
    public static PartitionConfig Load(string path)
    {
        var problems = new ProblemList();
        var config = Load(path, problems);
        problems.ThrowIfAny();
        return config!;
    }

    /// <summary>
    /// Checks one file of either kind without starting anything: a partition file with all it includes, or a single
    /// endpoint file. Returns every problem found; none means valid.
    /// </summary>
    public static IReadOnlyList<ConfigProblem> Validate(string path)
    {
        var problems = new ProblemList();
        var document = ConfigFileReader.Read(path, null, problems);
        if (document?.Root is not { } root)
        {
            return problems.Items;
        }

        if (EndpointFileParser.ProtocolOf(root) is { } protocol)
        {
            var file = EndpointFileParser.Parse(document, protocol, path, problems);
            CheckUniqueDeviceNames(file.Devices, problems);
        }
        else
        {
            Build(document, path, problems);
        }

        return problems.Items;
    }

    /// <summary>Loads a single endpoint file (S7, Modbus, OPC UA or sim); throws <see cref="ConfigException"/> when invalid.</summary>
    public static EndpointFileConfig LoadEndpointFile(string path)
    {
        var problems = new ProblemList();
        var document = ConfigFileReader.Read(path, null, problems);
        EndpointFileConfig? file = null;
        if (document?.Root is { } root)
        {
            if (EndpointFileParser.ProtocolOf(root) is { } protocol)
            {
                file = EndpointFileParser.Parse(document, protocol, path, problems);
                CheckUniqueDeviceNames(file.Devices, problems);
            }
            else
            {
                problems.Add(new XmlValues(path).At(root), $"<{root.Name.LocalName}> is not an endpoint file");
            }
        }

        problems.ThrowIfAny();
        return file!;
    }

    private static PartitionConfig? Load(string path, ProblemList problems)
    {
        var document = ConfigFileReader.Read(path, null, problems);
        return document is null ? null : Build(document, path, problems);
    }

    private static PartitionConfig? Build(XDocument document, string path, ProblemList problems)
    {
        var values = new XmlValues(path);
        if (!PartitionFileParser.IsPartition(document.Root!))
        {
            problems.Add(values.At(document.Root!), $"expected a partition file (<partition xmlns=\"{ConfigSchemas.PartitionNamespace}\">), found <{document.Root!.Name.LocalName}>");
            return null;
        }

        var partition = PartitionFileParser.Parse(document, path, problems);

        // Phase one: every included file, each reported on its own, so one bad file does not hide another's problems.
        var files = new List<EndpointFileConfig>();
        var allIncludesRead = true;
        foreach (var (includePath, at) in partition.Includes)
        {
            var included = ConfigFileReader.Read(includePath, at, problems);
            if (included is null)
            {
                allIncludesRead = false;
                continue;
            }

            if (EndpointFileParser.ProtocolOf(included.Root!) is not { } protocol)
            {
                problems.Add(at, $"'{includePath}' is a <{included.Root!.Name.LocalName}> file; only endpoint files (s7Devices, modbusDevices, opcUaDevices, simDevices) can be included");
                allIncludesRead = false;
                continue;
            }

            files.Add(EndpointFileParser.Parse(included, protocol, includePath, problems));
        }

        var devices = new List<DeviceConfig>();
        foreach (var file in files)
        {
            devices.AddRange(file.Devices);
        }

        CheckUniqueDeviceNames(devices, problems);

        // Phase two: sync rules refer to devices; with an include missing they would only add noise.
        SyncConfig? sync = null;
        if (partition.SyncElement is { } syncElement && allIncludesRead)
        {
            sync = new SyncResolver(devices, values, problems).Resolve(syncElement);
        }

        if (allIncludesRead)
        {
            NorthboundParser.CheckDevices(partition.NorthboundElement, ConfigSchemas.PartitionNamespace, devices, values, problems);
        }

        return new PartitionConfig
        {
            Name = partition.Name,
            SegmentDirectory = partition.SegmentDirectory,
            SourcePath = Path.GetFullPath(path),
            EndpointFiles = files,
            Sync = sync,
            Consumers = partition.Consumers,
            Logging = partition.Logging,
            Realtime = partition.Realtime,
            Northbound = partition.Northbound,
        };
    }

    private static void CheckUniqueDeviceNames(IReadOnlyList<DeviceConfig> devices, ProblemList problems)
    {
        var seen = new Dictionary<string, DeviceConfig>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            if (seen.TryGetValue(device.Name, out var first))
            {
                problems.Add(device.Location!, $"duplicate device name '{device.Name}': first declared at {first.Location}");
            }
            else
            {
                seen.Add(device.Name, device);
            }
        }
    }
}
