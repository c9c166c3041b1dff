using System.Text;
using static EdgePartition.Config.Tests.ConfigText;

namespace EdgePartition.Config.Tests;

/// <summary>
/// Every kind of bad file gives its problem as file:line:column: message, and the validate command exits with 78.
/// Each case names the file, the line and a marker text whose first occurrence on that line gives the column.
/// </summary>
public sealed class BadFileTests
{
    public sealed record Expected(string File, int Line, string? Marker, string Fragment, int Column = 0);

    public sealed record Case(string MainFile, Dictionary<string, byte[]> Files, Expected Expected);

    private static Case Files(Expected expected, params (string Name, string Text)[] files) =>
        new(files[0].Name, files.ToDictionary(f => f.Name, f => Encoding.UTF8.GetBytes(f.Text)), expected);

    private static Case PartitionWith(string[] partitionBody, string s7, Expected expected) =>
        Files(expected, ("partition.xml", Partition(partitionBody)), ("plc.xml", s7));

    private static Case PartitionWithSync(string[] sync, Expected expected, params string[] tags) =>
        PartitionWith(sync, S7File(tags), expected);

    public static readonly Dictionary<string, Case> Cases = new()
    {
        // Not XML at all, or not readable as such.
        ["MalformedXml"] = Files(
            new("partition.xml", 4, null, "not well-formed XML", Column: 3),
            ("partition.xml", Lines([Declaration, "<partition xmlns=\"urn:edgepartition:partition:1\" name=\"t\">", "  <include path=\"plc.xml\">", "</partition>"])),
            ("plc.xml", S7File())),
        ["InvalidUtf8Bytes"] = new(
            "plc.xml",
            new() { ["plc.xml"] = [.. Encoding.UTF8.GetBytes(S7File()[..^20]), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(S7File()[^20..])] },
            new("plc.xml", 9, null, "not well-formed XML", Column: 0)),
        ["DeclaredUtf16ButUtf8"] = Files(
            new("plc.xml", 1, null, "not well-formed XML", Column: 0),
            ("plc.xml", S7File().Replace("UTF-8", "UTF-16", StringComparison.Ordinal))),
        ["DtdIsProhibited"] = Files(
            new("plc.xml", 2, "<!DOCTYPE", "a DTD (<!DOCTYPE ...>) is not allowed"),
            ("plc.xml", S7File().Replace(Declaration, Declaration + "\n<!DOCTYPE s7Devices [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>", StringComparison.Ordinal))),
        ["UndeclaredEntity"] = Files(
            new("plc.xml", 3, "xxe;", "not well-formed XML"),
            ("plc.xml", S7File().Replace("host=\"127.0.0.1\"", "host=\"&xxe;\"", StringComparison.Ordinal))),

        // Schema violations.
        ["MissingRequiredAttribute"] = Files(
            new("partition.xml", 2, "partition", "'name' is missing"),
            ("partition.xml", Partition().Replace(" name=\"t\"", "", StringComparison.Ordinal)),
            ("plc.xml", S7File())),
        ["NameWithSpaces"] = Files(
            new("partition.xml", 2, "name=", "'name' attribute is invalid"),
            ("partition.xml", Partition().Replace("name=\"t\"", "name=\"my partition\"", StringComparison.Ordinal)),
            ("plc.xml", S7File())),
        ["UnknownElement"] = PartitionWith(["  <options/>"], S7File(), new("partition.xml", 4, "options", "invalid child element 'options'")),
        ["WrongRootElement"] = Files(
            new("plc.xml", 2, "devices", "not a configuration file of a known kind"),
            ("plc.xml", Lines([Declaration, "<devices>", "  <device name=\"x\"/>", "</devices>"]))),
        ["PortOutOfRange"] = Files(
            new("plc.xml", 3, "port=", "'port' attribute is invalid"),
            ("plc.xml", S7Device("plc1", "host=\"127.0.0.1\" port=\"70000\""))),
        ["UnknownS7DataType"] = Files(
            new("plc.xml", 5, "type=", "'type' attribute is invalid"),
            ("plc.xml", S7File("      <tag name=\"t\" address=\"DB1.DBD0\" type=\"FLOAT\"/>"))),
        ["PartitionWithoutInclude"] = Files(
            new("partition.xml", 3, "partition", "incomplete content"),
            ("partition.xml", Lines([Declaration, "<partition xmlns=\"urn:edgepartition:partition:1\" name=\"t\">", "</partition>"]))),

        // Includes.
        ["MissingIncludedFile"] = Files(
            new("partition.xml", 3, "path=", "file not found"),
            ("partition.xml", Partition())),
        ["IncludedPartitionFile"] = Files(
            new("partition.xml", 3, "path=", "only endpoint files"),
            ("partition.xml", PartitionIncluding("other.xml")),
            ("other.xml", Partition())),
        ["SameFileIncludedTwice"] = PartitionWith(["  <include path=\"./plc.xml\"/>"], S7File(), new("partition.xml", 4, "path=", "already included")),

        // Devices and tags.
        ["DuplicateDeviceAcrossFiles"] = Files(
            new("more.xml", 3, "device", "duplicate device name 'plc1'"),
            ("partition.xml", PartitionIncluding("plc.xml", "  <include path=\"more.xml\"/>")),
            ("plc.xml", S7File()),
            ("more.xml", S7File())),
        ["DuplicateTagName"] = Files(
            new("plc.xml", 6, "name=", "duplicate tag 'a'"),
            ("plc.xml", S7File("      <tag name=\"a\" address=\"DB1.DBW0\" type=\"INT\"/>", "      <tag name=\"a\" address=\"DB1.DBW2\" type=\"INT\"/>"))),
        ["DuplicatePollGroup"] = Files(
            new("plc.xml", 7, "name=", "duplicate poll group 'main'"),
            ("plc.xml", S7File("      <tag name=\"a\" address=\"DB1.DBW0\" type=\"INT\"/>", "    </pollGroup>", "    <pollGroup name=\"main\" cycleMs=\"200\">", "      <tag name=\"b\" address=\"DB1.DBW2\" type=\"INT\"/>"))),
        ["S7AddressSyntax"] = Files(
            new("plc.xml", 5, "address=", "expected .DBX, .DBB, .DBW or .DBD"),
            ("plc.xml", S7File("      <tag name=\"a\" address=\"DB10.XYZ4\" type=\"INT\"/>"))),
        ["S7WidthDoesNotFitType"] = Files(
            new("plc.xml", 5, "address=", "addresses 2 bytes but REAL has 4"),
            ("plc.xml", S7File("      <tag name=\"a\" address=\"DB10.DBW4\" type=\"REAL\"/>"))),
        ["S7BoolWithoutBit"] = Files(
            new("plc.xml", 5, "address=", "a BOOL needs a bit address"),
            ("plc.xml", S7File("      <tag name=\"a\" address=\"DB10.DBB4\" type=\"BOOL\"/>"))),
        ["S7AddressOutOfRange"] = Files(
            new("plc.xml", 5, "address=", "ends past byte 65535"),
            ("plc.xml", S7File("      <tag name=\"a\" address=\"DB10.DBD65534\" type=\"REAL\"/>"))),
        ["S7PartialOverlap"] = Files(
            new("plc.xml", 6, "tag ", "partly overlaps tag 'a'"),
            ("plc.xml", S7File("      <tag name=\"a\" address=\"DB1.DBD0\" type=\"DINT\"/>", "      <tag name=\"b\" address=\"DB1.DBD2\" type=\"REAL\"/>"))),
        ["S7SameAddressTwice"] = Files(
            new("plc.xml", 6, "tag ", "same address as tag 'a'"),
            ("plc.xml", S7File("      <tag name=\"a\" address=\"DB1.DBX0.3\" type=\"BOOL\"/>", "      <tag name=\"b\" address=\"db1.dbx0.3\" type=\"BOOL\"/>"))),
        ["S7OnlyOneTsap"] = Files(
            new("plc.xml", 3, "localTsap=", "give both localTsap and remoteTsap"),
            ("plc.xml", S7Device("plc1", "host=\"127.0.0.1\" localTsap=\"0100\""))),
        ["ModbusAddressUnknownTable"] = Files(
            new("m.xml", 5, "address=", "starts with 0 (coil), 1 (discrete input), 3 (input register) or 4"),
            ("m.xml", ModbusFile("      <tag name=\"a\" address=\"50001\" type=\"int16\"/>"))),
        ["ModbusBitInRegisterTable"] = Files(
            new("m.xml", 5, "address=", "type bit needs a coil or discrete input address"),
            ("m.xml", ModbusFile("      <tag name=\"a\" address=\"40001\" type=\"bit\"/>"))),
        ["ModbusWritableInputRegister"] = Files(
            new("m.xml", 5, "writable=", "read-only in Modbus"),
            ("m.xml", ModbusFile("      <tag name=\"a\" address=\"input:0\" type=\"int16\" writable=\"true\"/>"))),
        ["ModbusAddressOutOfRange"] = Files(
            new("m.xml", 5, "address=", "ends past address 65535"),
            ("m.xml", ModbusFile("      <tag name=\"a\" address=\"465536\" type=\"float32\"/>"))),
        ["ModbusOverlap"] = Files(
            new("m.xml", 6, "tag ", "partly overlaps tag 'a'"),
            ("m.xml", ModbusFile("      <tag name=\"a\" address=\"40001\" type=\"float32\"/>", "      <tag name=\"b\" address=\"40002\" type=\"float32\"/>"))),
        ["OpcUaUnknownSecurityPolicy"] = Files(
            new("u.xml", 3, "securityPolicy=", "unknown security policy 'Basic512'"),
            ("u.xml", OpcUaFile("securityPolicy=\"Basic512\" securityMode=\"Sign\""))),
        ["OpcUaPolicyWithoutSecurityMode"] = Files(
            new("u.xml", 3, "securityPolicy=", "security mode None does not go with policy Basic256Sha256"),
            ("u.xml", OpcUaFile("securityPolicy=\"Basic256Sha256\""))),
        ["OpcUaBadNodeId"] = Files(
            new("u.xml", 5, "address=", "a numeric identifier must be"),
            ("u.xml", OpcUaFile("", "      <tag name=\"t\" address=\"ns=2;i=abc\" type=\"Int32\"/>"))),
        ["SimMinAboveMax"] = Files(
            new("s.xml", 5, "min=", "min 10 is greater than max 5"),
            ("s.xml", Lines([Declaration, "<simDevices xmlns=\"urn:edgepartition:sim:1\">", "  <device name=\"s\">", "    <pollGroup name=\"p\" cycleMs=\"100\">", "      <tag name=\"t\" type=\"int16\" generator=\"random\" min=\"10\" max=\"5\"/>", "    </pollGroup>", "  </device>", "</simDevices>"]))),

        // Consumers.
        ["BindAddressNotAnIp"] = PartitionWith(
            ["  <consumers>", "    <http bind=\"my-host\" port=\"8080\"/>", "  </consumers>"], S7File(), new("partition.xml", 5, "bind=", "bind address 'my-host' is not an IP address")),
        ["PortUsedTwice"] = PartitionWith(
            ["  <consumers>", "    <http port=\"8080\"/>", "    <s7Server port=\"8080\"/>", "  </consumers>"], S7File(), new("partition.xml", 6, "port=", "port 8080 is already used by <http>")),

        // Sync rules.
        ["SyncUnknownDevice"] = PartitionWithSync(
            ["  <sync>", "    <block device=\"plc9\" tag=\"send\"/>", "  </sync>"],
            new("partition.xml", 5, "device=", "unknown device 'plc9'")),
        ["SyncUnknownTag"] = PartitionWithSync(
            ["  <sync>", "    <block device=\"plc1\" tag=\"nothing\"/>", "  </sync>"],
            new("partition.xml", 5, "tag=", "device 'plc1' has no tag 'nothing'")),
        ["ReceiveTagNotWritable"] = PartitionWithSync(
            GoodSync,
            new("partition.xml", 6, "tag=", "must be writable"),
            GoodTags[0],
            GoodTags[1],
            GoodTags[2].Replace(" writable=\"true\"", "", StringComparison.Ordinal)),
        ["ReceiveTagTooSmall"] = PartitionWithSync(
            GoodSync,
            new("partition.xml", 6, "tag=", "holds 4 bytes, but the image is 8"),
            GoodTags[0],
            GoodTags[1],
            GoodTags[2].Replace("length=\"16\"", "length=\"4\"", StringComparison.Ordinal)),
        ["WithdrawingPairsRequestTagNotWritable"] = PartitionWithSync(
            [.. GoodSync[..^1], "    <requestAck name=\"p\" requester=\"plc1\" requestTag=\"req\" ackTag=\"flag\" executor=\"plc1\" stateTag=\"flag\" withdrawOnTimeout=\"true\"/>", "  </sync>"],
            new("partition.xml", 7, "requestTag=", "request tag 'req' of device 'plc1' must be writable (writable=\"true\") because the pair has withdrawOnTimeout=\"true\""),
            [.. GoodTags, "      <tag name=\"req\" address=\"DB100.DBX0.2\" type=\"BOOL\"/>"]),
        ["WithdrawOnTimeoutNotABoolean"] = PartitionWithSync(
            [.. GoodSync[..^1], "    <requestAck name=\"p\" requester=\"plc1\" requestTag=\"flag\" ackTag=\"flag\" executor=\"plc1\" stateTag=\"flag\" withdrawOnTimeout=\"sometimes\"/>", "  </sync>"],
            new("partition.xml", 7, "withdrawOnTimeout=", "'withdrawOnTimeout' attribute is invalid")),
        ["RequestTagNotInImage"] = PartitionWithSync(
            [.. GoodSync[..^1], "    <requestAck name=\"p\" requester=\"plc1\" requestTag=\"req\" ackTag=\"flag\" executor=\"plc1\" stateTag=\"flag\"/>", "  </sync>"],
            new("partition.xml", 7, "requestTag=", "not part of the merged image"),
            [.. GoodTags, "      <tag name=\"req\" address=\"DB300.DBX0.0\" type=\"BOOL\" writable=\"true\"/>"]),
        ["ImageFieldsOverlap"] = PartitionWithSync(
            ["  <sync>", "    <block device=\"plc1\" tag=\"send\" imageOffset=\"0\"/>", "    <variable device=\"plc1\" tag=\"flag\" imageOffset=\"9\"/>", "    <serverHeartbeat imageOffset=\"6\"/>", "  </sync>"],
            new("partition.xml", 7, "serverHeartbeat", "the server heartbeat at image byte 6 overlaps block 'plc1.send'")),
        ["ImageSizeTooSmall"] = PartitionWithSync(
            ["  <sync imageSize=\"4\">", "    <block device=\"plc1\" tag=\"send\"/>", "  </sync>"],
            new("partition.xml", 4, "imageSize=", "imageSize 4 is too small")),
        ["DuplicateRequestAckName"] = PartitionWithSync(
            [.. GoodSync[..^1], "    <requestAck name=\"p\" requester=\"plc1\" requestTag=\"flag\" ackTag=\"flag\" executor=\"plc1\" stateTag=\"flag\"/>", "    <requestAck name=\"p\" requester=\"plc1\" requestTag=\"flag\" ackTag=\"flag\" executor=\"plc1\" stateTag=\"flag\"/>", "  </sync>"],
            new("partition.xml", 8, "name=", "duplicate request/ack pair name 'p'")),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ReportsTheProblemAtItsPositionAndExits78(string name)
    {
        var @case = Cases[name];
        using var directory = new TempConfigDirectory();
        foreach (var (file, bytes) in @case.Files)
        {
            directory.Write(file, bytes);
        }

        var main = Path.Combine(directory.Path, @case.MainFile);
        var expected = @case.Expected;
        var expectedFile = Path.Combine(directory.Path, expected.File);
        var column = expected.Marker is null ? expected.Column : ColumnOf(@case.Files[expected.File], expected.Line, expected.Marker);

        var problems = PartitionConfigLoader.Validate(main);

        var prefix = column > 0 ? $"{expectedFile}:{expected.Line}:{column}: " : $"{expectedFile}:{expected.Line}:";
        var matching = problems.Where(p => p.ToString().StartsWith(prefix, StringComparison.Ordinal) && p.Message.Contains(expected.Fragment, StringComparison.Ordinal)).ToList();
        Assert.True(matching.Count == 1, $"expected one problem '{prefix} ...{expected.Fragment}...', got:\n{string.Join("\n", problems)}");
        var problem = matching[0];

        var output = new StringWriter();
        var errors = new StringWriter();
        Assert.Equal(78, ConfigFileCheck.Run([main], output, errors));
        Assert.Contains(problem.ToString(), errors.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void LoadThrowsConfigExceptionWithTheSameProblems()
    {
        var @case = Cases["SyncUnknownDevice"];
        using var directory = new TempConfigDirectory();
        foreach (var (file, bytes) in @case.Files)
        {
            directory.Write(file, bytes);
        }

        var main = Path.Combine(directory.Path, @case.MainFile);

        var e = Assert.Throws<ConfigException>(() => PartitionConfigLoader.Load(main));

        Assert.Equal(PartitionConfigLoader.Validate(main), e.Problems);
        Assert.Equal(78, ConfigException.ExitCode);
    }

    private static int ColumnOf(byte[] file, int line, string marker)
    {
        var text = Encoding.UTF8.GetString(file).Split('\n')[line - 1];
        var index = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0, $"marker '{marker}' is not on line {line}: {text}");
        return index + 1;
    }
}
