using System.Net;
using EdgePartition.Config;
using EdgePartition.Consumers.Security;

namespace EdgePartition.Consumers.Tests.Writes;

/// <summary>The tokens file and the rules around it, checked when the partition file is loaded.</summary>
public sealed class TokenConfigTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("edgepart-tokens-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void EveryBadLineIsReportedWithItsLine()
    {
        var tokens = Write("tokens.txt",
            "# comment",
            "ok write sha256:" + new string('a', 64),
            "badrole admin sha256:" + new string('b', 64),
            "shorthash read sha256:abcd",
            "scopedreader read sha256:" + new string('c', 64) + " plc1/x",
            "ok read sha256:" + new string('d', 64),
            "@bearerToken maybe");
        var problems = new List<(int Line, string Message)>();
        TokenFileFormat.Parse(tokens, 10, (at, message) => problems.Add((at.Line, message)));
        Assert.Equal([3, 4, 5, 6, 7], problems.Select(p => p.Line));
        Assert.Contains("role 'admin'", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("twice", problems[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritesOnPlainHttpBeyondLoopbackStopTheStart()
    {
        Write("tokens.txt", "op write sha256:" + new string('a', 64));
        var file = WritePartition(bind: "0.0.0.0");
        var error = Assert.Throws<ConfigException>(() => PartitionConfigLoader.Load(file));
        Assert.Contains("without TLS", error.Message, StringComparison.Ordinal);

        Write("tokens.txt", "viewer read sha256:" + new string('a', 64));
        var config = PartitionConfigLoader.Load(WritePartition(bind: "0.0.0.0"));
        Assert.False(config.Consumers.Http!.AllowsWrites);
    }

    [Fact]
    public void TheOldBearerTokenWritesOnlyWhenTheTokensFileSaysSo()
    {
        Write("tokens.txt", "viewer read sha256:" + new string('a', 64));
        var readOnly = new TokenStore("legacy-secret", PartitionConfigLoader.Load(WritePartition(bearerToken: "legacy-secret")).Consumers.Http!.Tokens);
        Assert.False(readOnly.Find("legacy-secret")!.CanWrite);
        Assert.Null(readOnly.Find("legacy-secreT"));

        Write("tokens.txt", "@bearerToken write");
        var writing = new TokenStore("legacy-secret", PartitionConfigLoader.Load(WritePartition(bearerToken: "legacy-secret")).Consumers.Http!.Tokens);
        Assert.True(writing.Find("legacy-secret")!.CanWrite);
        Assert.Equal(TokenStore.LegacyName, writing.Find("legacy-secret")!.Name);
    }

    [Fact]
    public void ScopesLimitWritesToTheirDevicesAndTags()
    {
        var caller = new Caller("op", AccessTokenRole.Write, ["plc1/Setpoint*", "plc2/*"]);
        Assert.True(caller.MayWrite("plc1", "Setpoint1"));
        Assert.True(caller.MayWrite("plc2", "anything"));
        Assert.False(caller.MayWrite("plc1", "Speed"));
        Assert.False(caller.MayWrite("plc3", "Setpoint1"));
        Assert.False(new Caller("viewer", AccessTokenRole.Read, []).MayWrite("plc1", "Setpoint1"));
    }

    [Fact]
    public void TheAuditFileDefaultsToBesideTheTokensFile()
    {
        Write("tokens.txt", "viewer read sha256:" + new string('a', 64));
        var options = ConsumersOptionsFromConfig.Create(PartitionConfigLoader.Load(WritePartition()));
        Assert.Equal(Path.Combine(_directory.FullName, "audit.jsonl"), options.Audit!.FilePath);
        Assert.Equal(IPAddress.Loopback, options.BindAddress);
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private string WritePartition(string bind = "127.0.0.1", string? bearerToken = null)
    {
        Write("sim.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <simDevices xmlns="urn:edgepartition:sim:1">
              <device name="sim1">
                <pollGroup name="main" cycleMs="100">
                  <tag name="level" type="float64" generator="sine" periodMs="1000" min="0" max="1" writable="true"/>
                </pollGroup>
              </device>
            </simDevices>
            """);
        var token = bearerToken is null ? "" : $" bearerToken=\"{bearerToken}\"";
        return Write("partition.xml", $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <partition xmlns="urn:edgepartition:partition:1" name="tokens" segmentDirectory="/dev/shm">
              <include path="sim.xml"/>
              <consumers>
                <http bind="{bind}" port="8480"{token}>
                  <tokens file="tokens.txt"/>
                </http>
              </consumers>
            </partition>
            """);
    }
}
