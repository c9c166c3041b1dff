namespace EdgePartition.Config.Tests;

/// <summary>Model → XML → model is lossless, and the XML the writer produces is valid for the schemas too.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> Partitions => [.. ExampleFiles.Partitions()];

    [Theory]
    [MemberData(nameof(Partitions))]
    public void WritingAndLoadingGivesAnEqualModel(string example)
    {
        var original = PartitionConfigLoader.Load(Path.Combine(ExampleFiles.Directory, example));
        using var directory = new TempConfigDirectory();

        var written = PartitionConfigWriter.Save(original, directory.Path, "copy.xml");
        var reloaded = PartitionConfigLoader.Load(written);

        ModelComparer.AssertEqual(original, reloaded);
    }

    [Theory]
    [MemberData(nameof(Partitions))]
    public void WritingTwiceGivesTheSameText(string example)
    {
        var original = PartitionConfigLoader.Load(Path.Combine(ExampleFiles.Directory, example));
        using var first = new TempConfigDirectory();
        using var second = new TempConfigDirectory();

        var once = PartitionConfigWriter.Save(original, first.Path, "p.xml");
        var twice = PartitionConfigWriter.Save(PartitionConfigLoader.Load(once), second.Path, "p.xml");

        foreach (var file in Directory.GetFiles(first.Path))
        {
            Assert.Equal(File.ReadAllText(file), File.ReadAllText(Path.Combine(second.Path, Path.GetFileName(file))));
        }
    }

    [Fact]
    public void NonDefaultValuesSurviveTheRoundTrip()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("m.xml", ConfigText.ModbusFile(
            "      <tag name=\"a\" address=\"holding:7\" type=\"float64\" byteOrder=\"DCBA\" scale=\"0.125\" scaleOffset=\"-273.15\" deadband=\"0.3333333333333333\" writable=\"true\" description=\"ünïcödé &amp; &lt;escaped&gt;\"/>",
            "      <tag name=\"b\" address=\"coil:3\" type=\"bit\" length=\"5\"/>",
            "      <tag name=\"c\" address=\"input:20\" type=\"string\" stringLength=\"7\"/>"));
        var original = PartitionConfigLoader.Load(directory.Write("p.xml", ConfigText.PartitionIncluding("m.xml")));

        var reloaded = PartitionConfigLoader.Load(PartitionConfigWriter.Save(original, Path.Combine(directory.Path, "out"), "p.xml"));

        ModelComparer.AssertEqual(original, reloaded);
        var tag = reloaded.GetDevice("m1").GetTag("a");
        Assert.Equal((ByteOrder.DCBA, 0.125, -273.15, 1d / 3), (tag.ByteOrder, tag.Scale, tag.ScaleOffset, tag.Deadband));
        Assert.Equal("ünïcödé & <escaped>", tag.Description);
        Assert.Equal(4, reloaded.GetDevice("m1").GetTag("c").ModbusCount);
    }

    [Fact]
    public void WithdrawOnTimeoutSurvivesTheRoundTripAndIsWrittenOnlyWhenSet()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("plc.xml", ConfigText.S7File());
        var original = PartitionConfigLoader.Load(directory.Write("p.xml", ConfigText.Partition(
        [
            .. ConfigText.GoodSync[..^1],
            "    <requestAck name=\"tracked\" requester=\"plc1\" requestTag=\"flag\" ackTag=\"flag\" executor=\"plc1\" stateTag=\"flag\" timeoutMs=\"1500\"/>",
            "    <requestAck name=\"withdrawn\" requester=\"plc1\" requestTag=\"flag\" ackTag=\"flag\" executor=\"plc1\" stateTag=\"flag\" withdrawOnTimeout=\"true\"/>",
            "  </sync>",
        ])));

        var written = PartitionConfigWriter.Save(original, Path.Combine(directory.Path, "out"), "p.xml");
        var reloaded = PartitionConfigLoader.Load(written);

        ModelComparer.AssertEqual(original, reloaded);
        Assert.Equal([false, true], reloaded.Sync!.RequestAcks.Select(p => p.WithdrawOnTimeout));
        Assert.Equal(1, File.ReadAllText(written).Split("withdrawOnTimeout=\"true\"").Length - 1);
    }
}
