using EdgePartition.Config;

namespace EdgePartition.Northbound.Tests;

/// <summary>&lt;northbound&gt; in the partition file: defaults, and the checks the schema cannot make, with file:line:column.</summary>
public sealed class NorthboundConfigTests
{
    private const string Devices = """
        <simDevices xmlns="urn:edgepartition:sim:1">
          <device name="plc1">
            <pollGroup name="fast" cycleMs="100">
              <tag name="Count" type="int32" generator="constant" value="1"/>
            </pollGroup>
          </device>
        </simDevices>
        """;

    [Fact]
    public void DefaultsFollowThePartition()
    {
        var config = Load("""
            <northbound groupId="Plant">
              <broker uri="mqtt://127.0.0.1"/>
              <broker uri="mqtts://broker.site:8884"/>
            </northbound>
            """);
        var northbound = config.Northbound!;
        Assert.Equal("p1", northbound.EdgeNodeId);
        Assert.Equal("edgepart-Plant-p1", northbound.ClientId);
        Assert.Equal(1883, northbound.Brokers[0].Port);
        Assert.True(northbound.Brokers[1].UseTls);
        Assert.Equal(8884, northbound.Brokers[1].Port);
        Assert.Empty(northbound.AllowWrites);
        Assert.Equal(64L * 1024 * 1024, northbound.Store.MaxBytes);
    }

    [Fact]
    public void BadSettingsAreReportedWithTheirPlace()
    {
        var problems = Problems("""
            <northbound groupId="Plant" reconnectMinMs="5000" reconnectMaxMs="100">
              <broker uri="http://x"/>
              <broker uri="mqtt://user:secret@host"/>
              <credentials user="edge" passwordFile="a" passwordEnvironment="B"/>
              <publish device="nosuch"/>
            </northbound>
            """);
        Assert.Contains(problems, p => p.Contains("is not mqtt://host:port", StringComparison.Ordinal) && p.Contains("partition.xml:4:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("must not carry a user or password", StringComparison.Ordinal) && !p.Contains("secret", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("exactly one of passwordFile or passwordEnvironment", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("no device 'nosuch'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("reconnectMaxMs", StringComparison.Ordinal));
    }

    [Fact]
    public void SparkplugIdsRefuseTopicCharacters()
    {
        var problems = Problems("""
            <northbound groupId="Plant/A">
              <broker uri="mqtt://127.0.0.1"/>
            </northbound>
            """);
        Assert.NotEmpty(problems);
    }

    private static PartitionConfig Load(string northbound)
    {
        var file = Write(northbound);
        try
        {
            return PartitionConfigLoader.Load(file);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    private static List<string> Problems(string northbound)
    {
        var file = Write(northbound);
        try
        {
            return [.. PartitionConfigLoader.Validate(file).Select(p => p.ToString())];
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    private static string Write(string northbound)
    {
        var directory = Directory.CreateTempSubdirectory("edgepart-nbc-").FullName;
        File.WriteAllText(Path.Combine(directory, "devices.xml"), Devices);
        var file = Path.Combine(directory, "partition.xml");
        File.WriteAllText(file, $"""
            <partition xmlns="urn:edgepartition:partition:1" name="p1" segmentDirectory="{directory}">
              <include path="devices.xml"/>
            {northbound}
            </partition>
            """);
        return file;
    }
}
