using System.Xml;
using System.Xml.Schema;

namespace EdgePartition.Config.Loading;

/// <summary>The XSDs embedded in this assembly, compiled once into one schema set.</summary>
internal static class ConfigSchemas
{
    public const string PartitionNamespace = "urn:edgepartition:partition:1";
    public const string S7Namespace = "urn:edgepartition:s7:1";
    public const string ModbusNamespace = "urn:edgepartition:modbus:1";
    public const string OpcUaNamespace = "urn:edgepartition:opcua:1";
    public const string SimNamespace = "urn:edgepartition:sim:1";

    /// <summary>File names of the schemas, as published in the xsd folder beside the binary.</summary>
    public static readonly string[] FileNames = ["partition.xsd", "s7.xsd", "modbus.xsd", "opcua.xsd", "sim.xsd"];

    private static readonly Lazy<XmlSchemaSet> LazySet = new(Compile);

    public static XmlSchemaSet Set => LazySet.Value;

    /// <summary>The text of one embedded schema, e.g. "s7.xsd".</summary>
    public static Stream Open(string fileName) =>
        typeof(ConfigSchemas).Assembly.GetManifestResourceStream("EdgePartition.Config.xsd." + fileName)
        ?? throw new InvalidOperationException($"schema {fileName} is not embedded in {typeof(ConfigSchemas).Assembly.GetName().Name}");

    private static XmlSchemaSet Compile()
    {
        // Our own schemas are trusted, but are read the same locked-down way: they must never pull anything in.
        var set = new XmlSchemaSet { XmlResolver = null };
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        foreach (var name in FileNames)
        {
            using var stream = Open(name);
            using var reader = XmlReader.Create(stream, settings);
            set.Add(XmlSchema.Read(reader, (_, e) => throw new InvalidOperationException($"embedded schema {name}: {e.Message}", e.Exception))!);
        }

        set.Compile();
        return set;
    }
}
