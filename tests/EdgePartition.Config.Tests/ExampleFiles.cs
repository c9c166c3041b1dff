
namespace EdgePartition.Config.Tests;

/// <summary>The XML files under config/xml, and which schema each root element belongs to.</summary>
internal static class ExampleFiles
{
    public static string Directory => RepoPaths.Combine("config", "xml");

    public static string SchemaDirectory => RepoPaths.Combine("config", "xsd");

    /// <summary>Every example file, relative to config/xml.</summary>
    public static IEnumerable<string> All() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.xml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Directory, f))
            .Order(StringComparer.Ordinal);

    /// <summary>Every example that is a partition file.</summary>
    public static IEnumerable<string> Partitions() => All().Where(f => SchemaOf(Path.Combine(Directory, f)) == "partition.xsd");

    /// <summary>The schema file for the file's root element.</summary>
    public static string SchemaOf(string path)
    {
        var text = File.ReadAllText(path);
        foreach (var (root, schema) in new[] { ("<partition", "partition.xsd"), ("<s7Devices", "s7.xsd"), ("<modbusDevices", "modbus.xsd"), ("<opcUaDevices", "opcua.xsd"), ("<simDevices", "sim.xsd") })
        {
            if (text.Contains(root, StringComparison.Ordinal))
            {
                return schema;
            }
        }

        throw new InvalidOperationException($"{path} has no known root element");
    }
}
