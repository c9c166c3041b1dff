namespace EdgePartition.Config.Tests;

/// <summary>
/// Small configuration files for tests, built so that line numbers are predictable: a partition's body starts on
/// line 4 (after the include of plc.xml on line 3), an S7 file's tags start on line 5.
/// </summary>
internal static class ConfigText
{
    public const string Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    /// <summary>Lines 5..7 of <see cref="S7"/> by default: an 8-byte send block, a writable BOOL inside it, a 16-byte receive block.</summary>
    public static readonly string[] GoodTags =
    [
        "      <tag name=\"send\" address=\"DB100.DBB0\" type=\"BYTE\" length=\"8\"/>",
        "      <tag name=\"flag\" address=\"DB100.DBX0.1\" type=\"BOOL\" writable=\"true\"/>",
        "      <tag name=\"receive\" address=\"DB200.DBB0\" type=\"BYTE\" length=\"16\" writable=\"true\"/>",
    ];

    /// <summary>A sync body (lines 4..7) that is valid against <see cref="GoodTags"/>.</summary>
    public static readonly string[] GoodSync =
    [
        "  <sync>",
        "    <block device=\"plc1\" tag=\"send\"/>",
        "    <receive device=\"plc1\" tag=\"receive\"/>",
        "  </sync>",
    ];

    public static string Partition(params string[] body) => PartitionIncluding("plc.xml", body);

    public static string PartitionIncluding(string include, params string[] body) => Lines(
        [
            Declaration,
            "<partition xmlns=\"urn:edgepartition:partition:1\" name=\"t\">",
            $"  <include path=\"{include}\"/>",
            .. body,
            "</partition>",
        ]);

    public static string S7File(params string[] tags) => S7Device("plc1", "host=\"127.0.0.1\"", tags);

    public static string S7Device(string name, string connection, params string[] tags) => Lines(
        [
            Declaration,
            "<s7Devices xmlns=\"urn:edgepartition:s7:1\">",
            $"  <device name=\"{name}\" {connection}>",
            "    <pollGroup name=\"main\" cycleMs=\"100\">",
            .. tags.Length == 0 ? GoodTags : tags,
            "    </pollGroup>",
            "  </device>",
            "</s7Devices>",
        ]);

    /// <summary>A Modbus file whose tags start on line 5.</summary>
    public static string ModbusFile(params string[] tags) => Lines(
        [
            Declaration,
            "<modbusDevices xmlns=\"urn:edgepartition:modbus:1\">",
            "  <device name=\"m1\" host=\"127.0.0.1\">",
            "    <pollGroup name=\"main\" cycleMs=\"100\">",
            .. tags,
            "    </pollGroup>",
            "  </device>",
            "</modbusDevices>",
        ]);

    /// <summary>An OPC UA file: the device element is line 3, its tags start on line 5.</summary>
    public static string OpcUaFile(string deviceAttributes, params string[] tags) => Lines(
        [
            Declaration,
            "<opcUaDevices xmlns=\"urn:edgepartition:opcua:1\">",
            $"  <device name=\"u1\" endpointUrl=\"opc.tcp://127.0.0.1:4840\" {deviceAttributes}>",
            "    <pollGroup name=\"main\" cycleMs=\"100\">",
            .. tags.Length == 0 ? ["      <tag name=\"t\" address=\"ns=2;i=1\" type=\"Int32\"/>"] : tags,
            "    </pollGroup>",
            "  </device>",
            "</opcUaDevices>",
        ]);

    public static string Lines(IEnumerable<string> lines) => string.Join("\n", lines) + "\n";
}
