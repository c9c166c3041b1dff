using System.Text;
using EdgePartition.S7.Client;
using static EdgePartition.Config.Tests.ConfigText;

namespace EdgePartition.Config.Tests;

/// <summary>What the loader resolves and how it treats untrusted input.</summary>
public sealed class LoaderTests
{
    [Fact]
    public void ComputesLeftOutOffsetsWithTheV2Rule()
    {
        var sync = PartitionConfigLoader.Load(RepoPaths.Combine("config", "xml", "three-plc-sync", "three-plc-sync.xml")).Sync!;

        Assert.Equal([("filling", 0, 24), ("heating", 24, 10), ("storage", 34, 16)], sync.Contributions.Select(c => (c.Device, c.ImageOffset, c.ByteLength)));
        Assert.Equal(50, sync.ServerHeartbeat!.ImageOffset);
        Assert.Equal(52, sync.AliveFlags!.ImageOffset);
        Assert.Equal(["filling", "heating", "storage"], sync.AliveFlags.Devices);
        Assert.Equal(54, sync.ImageSize);
    }

    [Fact]
    public void ResolvesDefaultsAndRelativePaths()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("plc.xml", S7File());
        Directory.CreateDirectory(Path.Combine(directory.Path, "certs"));
        directory.Write("certs/site.pfx", []); // the loader checks that it exists; consumers would read it
        var path = directory.Write("p.xml", Partition(
            "  <consumers>",
            "    <http port=\"9000\">",
            "      <tls certificate=\"certs/site.pfx\"/>",
            "    </http>",
            "  </consumers>",
            "  <logging>",
            "    <file path=\"logs/p.log\"/>",
            "  </logging>",
            "  <realtime>",
            "    <sync priority=\"60\" cpus=\"1,3\"/>",
            "  </realtime>"));

        var config = PartitionConfigLoader.Load(path);

        Assert.Equal("/dev/shm", config.SegmentDirectory);
        Assert.Equal(Path.Combine(directory.Path, "certs", "site.pfx"), config.Consumers.Http!.Tls!.CertificatePath);
        Assert.Equal("127.0.0.1", config.Consumers.Http.BindAddress);
        Assert.Equal((LogLevelSetting.Information, LogRollingInterval.Day, 14), (config.Logging.Level, config.Logging.File!.RollingInterval, config.Logging.File.RetainedFiles));
        Assert.Equal(Path.Combine(directory.Path, "logs", "p.log"), config.Logging.File.Path);
        Assert.Equal(60, config.Realtime.Sync!.Priority);
        Assert.Equal([1, 3], config.Realtime.Sync.Cpus);
        Assert.Null(config.Realtime.Collector);
        Assert.Null(config.Sync);
        var s7 = config.GetDevice("plc1").S7;
        Assert.Equal((102, 0, 1, S7ConnectionType.Pg, 960, TimeSpan.FromSeconds(3)), (s7.Port, s7.Rack, s7.Slot, s7.ConnectionType, s7.PduSize, s7.Timeout));
        Assert.Equal(Path.Combine(directory.Path, "plc.xml"), Assert.Single(config.EndpointFiles).Path);
    }

    [Fact]
    public void ReportsEveryProblemInEveryFileAtOnce()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("a.xml", S7Device("a", "host=\"h\"", "      <tag name=\"x\" address=\"DB1.DBW0\" type=\"REAL\"/>"));
        directory.Write("b.xml", ModbusFile("      <tag name=\"y\" address=\"99999\" type=\"int16\"/>"));
        directory.Write("c.xml", S7Device("c", "host=\"h\" port=\"0\""));
        var path = directory.Write("p.xml", PartitionIncluding("a.xml", "  <include path=\"b.xml\"/>", "  <include path=\"c.xml\"/>", "  <include path=\"d.xml\"/>"));

        var problems = PartitionConfigLoader.Validate(path);

        Assert.Equal(
            [("a.xml", 5), ("b.xml", 5), ("c.xml", 3), ("p.xml", 6)],
            problems.Select(p => (Path.GetFileName(p.File), p.Line)).Order());
    }

    [Fact]
    public void RequestAndAckTagsNeedNotBeWritableWhenSyncOnlyTracks()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("plc.xml", S7File([.. GoodTags, "      <tag name=\"req\" address=\"DB100.DBX0.2\" type=\"BOOL\"/>", "      <tag name=\"ack\" address=\"DB100.DBX0.3\" type=\"BOOL\"/>"]));
        var path = directory.Write("p.xml", Partition(
            [.. GoodSync[..^1], "    <requestAck name=\"p\" requester=\"plc1\" requestTag=\"req\" ackTag=\"ack\" executor=\"plc1\" stateTag=\"flag\"/>", "  </sync>"]));

        var pair = Assert.Single(PartitionConfigLoader.Load(path).Sync!.RequestAcks);

        Assert.False(pair.WithdrawOnTimeout);
    }

    [Fact]
    public void WithdrawingPairNeedsOnlyItsRequestTagWritable()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("plc.xml", S7File([.. GoodTags, "      <tag name=\"ack\" address=\"DB100.DBX0.3\" type=\"BOOL\"/>"]));
        var path = directory.Write("p.xml", Partition(
            [.. GoodSync[..^1], "    <requestAck name=\"p\" requester=\"plc1\" requestTag=\"flag\" ackTag=\"ack\" executor=\"plc1\" stateTag=\"flag\" withdrawOnTimeout=\"true\"/>", "  </sync>"]));

        var pair = Assert.Single(PartitionConfigLoader.Load(path).Sync!.RequestAcks);

        Assert.True(pair.WithdrawOnTimeout);
    }

    [Fact]
    public void ValidatesAnEndpointFileAlone()
    {
        using var directory = new TempConfigDirectory();
        var good = directory.Write("good.xml", S7File());
        var bad = directory.Write("bad.xml", S7File("      <tag name=\"x\" address=\"DB1.DBW0\" type=\"REAL\"/>"));
        var output = new StringWriter();
        var errors = new StringWriter();

        var exitCode = ConfigFileCheck.Run([good, bad], output, errors);

        Assert.Equal(78, exitCode);
        Assert.Equal($"{good}: valid\n", output.ToString().ReplaceLineEndings("\n"));
        Assert.StartsWith($"{bad}:5:", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, PartitionConfigLoader.LoadEndpointFile(good).Devices[0].Tags.Count);
    }

    [Fact]
    public void ValidCommandLineRunExitsZero()
    {
        var output = new StringWriter();

        Assert.Equal(0, ConfigFileCheck.Run([RepoPaths.Combine("config", "xml", "demo", "demo.xml")], output, TextWriter.Null));
        Assert.EndsWith("demo.xml: valid", output.ToString().TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesFilesLargerThanTheLimit()
    {
        using var directory = new TempConfigDirectory();
        var path = directory.Write("big.xml", new byte[(8 * 1024 * 1024) + 1]);

        var problem = Assert.Single(PartitionConfigLoader.Validate(path));

        Assert.Equal((1, 1), (problem.Line, problem.Column));
        Assert.Contains("more than the 8388608 accepted", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NeverFollowsASchemaLocationNamedByTheFile()
    {
        using var directory = new TempConfigDirectory();

        // A schema that would accept anything; the file names it, the loader must ignore it and use its own.
        directory.Write("lax.xsd", "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:edgepartition:s7:1\"><xs:element name=\"s7Devices\"/></xs:schema>");
        var path = directory.Write("plc.xml", Lines(
            [
                Declaration,
                "<s7Devices xmlns=\"urn:edgepartition:s7:1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:edgepartition:s7:1 lax.xsd\">",
                "  <anything/>",
                "</s7Devices>",
            ]));

        var problem = Assert.Single(PartitionConfigLoader.Validate(path));

        Assert.Equal(3, problem.Line);
        Assert.Contains("invalid child element 'anything'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExternalEntitiesAreNeverResolved()
    {
        using var directory = new TempConfigDirectory();
        var secret = directory.Write("secret.txt", "do-not-read");
        var path = directory.Write("plc.xml", S7Device("plc1", "host=\"&secret;\"").Replace(
            Declaration, $"{Declaration}\n<!DOCTYPE s7Devices [<!ENTITY secret SYSTEM \"file://{secret}\">]>", StringComparison.Ordinal));

        var problems = PartitionConfigLoader.Validate(path);

        Assert.Contains(problems, p => p.Line == 2 && p.Message.Contains("DTD", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Message.Contains("do-not-read", StringComparison.Ordinal));
    }

    [Fact]
    public void AcceptsAByteOrderMark()
    {
        using var directory = new TempConfigDirectory();
        var path = directory.Write("plc.xml", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(S7File())]);

        Assert.Empty(PartitionConfigLoader.Validate(path));
    }

    [Fact]
    public void ATagMayLieWhollyInsideAnother()
    {
        using var directory = new TempConfigDirectory();
        var path = directory.Write("plc.xml", S7File(
            "      <tag name=\"block\" address=\"DB1.DBB0\" type=\"BYTE\" length=\"16\"/>",
            "      <tag name=\"word\" address=\"DB1.DBW2\" type=\"INT\"/>",
            "      <tag name=\"bit\" address=\"DB1.DBX2.1\" type=\"BOOL\"/>",
            "      <tag name=\"bits\" address=\"DB1.DBX4.0\" type=\"BOOL\" length=\"16\"/>",
            "      <tag name=\"otherBit\" address=\"DB1.DBX2.2\" type=\"BOOL\"/>",
            "      <tag name=\"otherDb\" address=\"DB2.DBW2\" type=\"INT\"/>"));

        Assert.Empty(PartitionConfigLoader.Validate(path));
    }
}
