using static EdgePartition.Config.Tests.ConfigText;

namespace EdgePartition.Config.Tests;

/// <summary>The OPC UA subscription settings of poll groups and tags: parsed into the model, refused at file:line:column.</summary>
public sealed class OpcUaSubscriptionConfigTests
{
    private static string File(string groupAttributes, params string[] tags) =>
        OpcUaFile("", tags).Replace("<pollGroup name=\"main\" cycleMs=\"100\">", $"<pollGroup name=\"main\" cycleMs=\"100\" {groupAttributes}>", StringComparison.Ordinal);

    [Fact]
    public void SubscriptionIsTheDefaultAndEverySettingIsRead()
    {
        var device = Load(File("", "      <tag name=\"t\" address=\"ns=2;i=1\" type=\"Int32\"/>"));
        Assert.Equal(OpcUaGroupMode.Subscription, device.PollGroups[0].OpcUa!.Mode);
        Assert.Null(device.PollGroups[0].OpcUa!.SamplingInterval);
        Assert.Equal(1u, device.PollGroups[0].OpcUa!.QueueSize);

        device = Load(File(
            "samplingMs=\"50\" queueSize=\"10\" discardOldest=\"false\"",
            "      <tag name=\"a\" address=\"ns=2;i=1\" type=\"Double\" serverDeadband=\"0.5\"/>",
            "      <tag name=\"p\" address=\"ns=2;i=2\" type=\"Float\" serverDeadband=\"2\" serverDeadbandType=\"Percent\"/>"));
        var group = device.PollGroups[0].OpcUa!;
        Assert.Equal((TimeSpan.FromMilliseconds(50), 10u, false), (group.SamplingInterval, group.QueueSize, group.DiscardOldest));
        Assert.Equal(new OpcUaServerDeadband(OpcUaDeadbandType.Absolute, 0.5), device.Tags[0].ServerDeadband);
        Assert.Equal(new OpcUaServerDeadband(OpcUaDeadbandType.Percent, 2), device.Tags[1].ServerDeadband);

        Assert.Equal(OpcUaGroupMode.Poll, Load(File("mode=\"poll\"")).PollGroups[0].OpcUa!.Mode);
    }

    [Theory]
    [InlineData("mode=\"poll\" queueSize=\"5\"", "", "queueSize=", "applies to subscription groups only")]
    [InlineData("mode=\"poll\"", " serverDeadband=\"1\"", "serverDeadband=", "subscription groups only")]
    [InlineData("samplingMs=\"500\"", "", "samplingMs=", "longer than cycleMs 100")]
    [InlineData("", " serverDeadband=\"150\" serverDeadbandType=\"Percent\"", "serverDeadband=", "a percent deadband is 0 to 100")]
    [InlineData("", " serverDeadband=\"-1\"", "serverDeadband=", "must be 0 or more")]
    [InlineData("", " serverDeadbandType=\"Percent\"", "serverDeadbandType=", "needs serverDeadband")]
    [InlineData("mode=\"sometimes\"", "", "mode=", "'mode' attribute is invalid")]
    public void RefusesBadSettingsAtTheirAttribute(string groupAttributes, string tagAttributes, string marker, string fragment)
    {
        var text = File(groupAttributes, $"      <tag name=\"t\" address=\"ns=2;i=1\" type=\"Double\"{tagAttributes}/>");
        AssertProblem(text, marker, fragment);
    }

    [Fact]
    public void RefusesAServerDeadbandOnText()
    {
        AssertProblem(File("", "      <tag name=\"t\" address=\"ns=2;i=1\" type=\"String\" serverDeadband=\"1\"/>"), "serverDeadband=", "needs a numeric type, not String");
    }

    [Fact]
    public void WriterKeepsTheSettings()
    {
        var text = File(
            "mode=\"subscription\" samplingMs=\"50\" queueSize=\"10\" discardOldest=\"false\"",
            "      <tag name=\"p\" address=\"ns=2;i=2\" type=\"Float\" serverDeadband=\"2\" serverDeadbandType=\"Percent\"/>");
        using var directory = new TempConfigDirectory();
        directory.Write("u.xml", System.Text.Encoding.UTF8.GetBytes(text));
        var loaded = PartitionConfigLoader.LoadEndpointFile(Path.Combine(directory.Path, "u.xml"));
        var written = PartitionConfigWriter.ToXml(loaded).ToString();
        directory.Write("again.xml", System.Text.Encoding.UTF8.GetBytes(written));

        var again = PartitionConfigLoader.LoadEndpointFile(Path.Combine(directory.Path, "again.xml")).Devices[0];
        var group = again.PollGroups[0].OpcUa!;
        Assert.Equal((TimeSpan.FromMilliseconds(50), 10u, false), (group.SamplingInterval, group.QueueSize, group.DiscardOldest));
        Assert.Equal(new OpcUaServerDeadband(OpcUaDeadbandType.Percent, 2), again.Tags[0].ServerDeadband);
    }

    private static DeviceConfig Load(string text)
    {
        using var directory = new TempConfigDirectory();
        directory.Write("u.xml", System.Text.Encoding.UTF8.GetBytes(text));
        var path = Path.Combine(directory.Path, "u.xml");
        var problems = PartitionConfigLoader.Validate(path);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return PartitionConfigLoader.LoadEndpointFile(path).Devices[0];
    }

    private static void AssertProblem(string text, string marker, string fragment)
    {
        using var directory = new TempConfigDirectory();
        directory.Write("u.xml", System.Text.Encoding.UTF8.GetBytes(text));
        var path = Path.Combine(directory.Path, "u.xml");
        var lines = text.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal)) + 1;
        var column = lines[line - 1].IndexOf(marker, StringComparison.Ordinal) + 1;

        var problems = PartitionConfigLoader.Validate(path);

        Assert.Contains(problems, p => p.ToString().StartsWith($"{path}:{line}:{column}: ", StringComparison.Ordinal) && p.Message.Contains(fragment, StringComparison.Ordinal));
    }
}
