using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EdgePartition.Config;
using EdgePartition.Consumers.Partition;
using EdgePartition.Ipc;
using EdgePartition.Testing.Peers;
using Microsoft.AspNetCore.Builder;

namespace EdgePartition.Consumers.Tests.Writes;

/// <summary>
/// A partition with real peers for the write path: a snap7 S7Server (plc1) and a pymodbus server (meter), each
/// polled by a real `edgepart collector` process, and the consumers in process on a port the OS picks, with a
/// tokens file (writer, reader, scoped, burst) and an audit file. Tests use their own tags so they do not interfere.
/// </summary>
public sealed class WritePartitionFixture : IAsyncLifetime
{
    public const int Db = 1;

    /// <summary>plc1's tags in DB1: byte offsets the tests check in the PLC's memory.</summary>
    public const int SetpointOffset = 0, SpeedOffset = 2, FlagsByte = 6, LevelsOffset = 8, NameOffset = 16, ReadOnlyOffset = 30, LimitedOffset = 32, DownOffset = 34;

    public const int MeterSetpointRegister = 100;

    public const int WritesPerSecond = 20;

    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private DirectoryInfo _directory = null!;
    private WebApplication _app = null!;

    public string Partition { get; } = TestNames.Partition("w");

    public Snap7ServerProcess Plc { get; private set; } = null!;

    public PymodbusServer Meter { get; private set; } = null!;

    public EdgepartProcess S7Collector { get; private set; } = null!;

    public EdgepartProcess ModbusCollector { get; private set; } = null!;

    public string PartitionFile { get; private set; } = "";

    public string AuditFile => Path.Combine(_directory.FullName, "audit.jsonl");

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client sending <paramref name="token"/>'s secret (writer, reader, scoped, burst), or none for null.</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TestTimeouts.Default };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[token]);
        }

        return client;
    }

    public string Secret(string token) => _tokens[token];

    /// <summary>Kills the S7 collector (SIGKILL, as a crash would) and waits until it has exited.</summary>
    public async Task KillS7CollectorAsync()
    {
        S7Collector.Kill();
        await S7Collector.WaitForExitAsync();
        await S7Collector.DisposeAsync();
    }

    public void StartS7Collector() => S7Collector = EdgepartProcess.Start("collector", PartitionFile, "--protocol", "s7");

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("edgepart-writes-");
        Plc = await Snap7ServerProcess.StartAsync(new Snap7ServerOptions { Areas = [new Snap7Area("DB", Db, 64)] });
        Meter = await PymodbusServer.StartAsync();
        PartitionFile = WriteFiles();
        S7Collector = EdgepartProcess.Start("collector", PartitionFile, "--protocol", "s7");
        ModbusCollector = EdgepartProcess.Start("collector", PartitionFile, "--protocol", "modbus");

        var config = PartitionConfigLoader.Load(PartitionFile);
        var options = ConsumersOptionsFromConfig.Create(config) with
        {
            Port = 0,
            WriteResultTimeout = TimeSpan.FromSeconds(2),
            LivenessPollInterval = TimeSpan.FromMilliseconds(100),
        };
        _app = ConsumersServer.Build(PartitionPlan.FromConfig(config), options);
        await _app.StartAsync();
        BaseAddress = ConsumersServer.BoundAddress(_app);

        using var reader = Client("reader");
        await WaitForGoodAsync(reader, "plc1", "setpoint");
        await WaitForGoodAsync(reader, "meter", "setpoint");
    }

    /// <summary>Waits until the tag's value is read from the device with good quality; returns its JSON.</summary>
    public static Task<JsonObject> WaitForGoodAsync(HttpClient client, string device, string tag) =>
        WaitForTagAsync(client, device, tag, t => t["quality"]?.GetValue<string>() == "good", "good quality");

    public static Task<JsonObject> WaitForTagAsync(HttpClient client, string device, string tag, Func<JsonObject, bool> condition, string what) =>
        Eventually.PollAsync(
            async () =>
            {
                // 404 until the collector has created the device's segment.
                using var response = await client.GetAsync($"api/devices/{device}/tags/{tag}").ConfigureAwait(false);
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>().ConfigureAwait(false) ?? [] : [];
            },
            t => t.Count > 0 && condition(t), $"{device}/{tag}: {what}");

    private string WriteFiles()
    {
        var dir = _directory.FullName;
        File.WriteAllText(Path.Combine(dir, "plc.xml"), $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <s7Devices xmlns="urn:edgepartition:s7:1">
              <device name="plc1" host="127.0.0.1" port="{Plc.Port}" rack="0" slot="1" timeoutMs="2000">
                <pollGroup name="main" cycleMs="50">
                  <tag name="setpoint" address="DB1.DBW{SetpointOffset}" type="INT" writable="true"/>
                  <tag name="speed" address="DB1.DBD{SpeedOffset}" type="REAL" writable="true"/>
                  <tag name="flag3" address="DB1.DBX{FlagsByte}.3" type="BOOL" writable="true"/>
                  <tag name="levels" address="DB1.DBW{LevelsOffset}" type="INT" length="4" writable="true"/>
                  <tag name="name" address="DB1.DBB{NameOffset}" type="STRING" stringLength="10" writable="true"/>
                  <tag name="readonly" address="DB1.DBW{ReadOnlyOffset}" type="INT"/>
                  <tag name="limited" address="DB1.DBW{LimitedOffset}" type="INT" writable="true"/>
                  <tag name="down" address="DB1.DBW{DownOffset}" type="INT" writable="true"/>
                </pollGroup>
              </device>
            </s7Devices>
            """);
        File.WriteAllText(Path.Combine(dir, "meter.xml"), $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <modbusDevices xmlns="urn:edgepartition:modbus:1">
              <device name="meter" host="127.0.0.1" port="{Meter.Port}" unitId="1" addressBase="0" timeoutMs="2000">
                <pollGroup name="fast" cycleMs="50">
                  <tag name="setpoint" address="holding:{MeterSetpointRegister}" type="int16" writable="true"/>
                  <tag name="ratio" address="holding:200" type="float32" writable="true"/>
                  <tag name="coils" address="coil:0" type="bit" length="8" writable="true"/>
                  <tag name="parked" address="holding:300" type="int16" writable="true"/>
                </pollGroup>
              </device>
            </modbusDevices>
            """);

        var lines = new List<string> { "# tokens of the write tests", $"{TokenFileFormat.BearerTokenDirective} read" };
        foreach (var (name, role, scopes) in new (string, AccessTokenRole, string[])[]
                 {
                     ("writer", AccessTokenRole.Write, []),
                     ("reader", AccessTokenRole.Read, []),
                     ("scoped", AccessTokenRole.Write, ["plc1/setpoint"]),
                     ("burst", AccessTokenRole.Write, []),
                 })
        {
            var secret = AccessTokenHash.NewToken();
            _tokens[name] = secret;
            lines.Add(TokenFileFormat.FormatLine(name, role, AccessTokenHash.Compute(secret), scopes));
        }

        File.WriteAllLines(Path.Combine(dir, "tokens.txt"), lines);
        var file = Path.Combine(dir, "partition.xml");
        File.WriteAllText(file, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <partition xmlns="urn:edgepartition:partition:1" name="{Partition}" segmentDirectory="{SegmentNames.DefaultDirectory}">
              <include path="plc.xml"/>
              <include path="meter.xml"/>
              <consumers>
                <http bind="127.0.0.1" port="8480">
                  <tokens file="tokens.txt" writesPerSecond="{WritesPerSecond}"/>
                  <audit file="audit.jsonl" maxKilobytes="1024" keep="2"/>
                </http>
              </consumers>
            </partition>
            """);
        return file;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (S7Collector is not null)
        {
            await S7Collector.DisposeAsync();
        }

        if (ModbusCollector is not null)
        {
            await ModbusCollector.DisposeAsync();
        }

        if (Plc is not null)
        {
            await Plc.DisposeAsync();
        }

        if (Meter is not null)
        {
            await Meter.DisposeAsync();
        }

        SegmentDirectory.DeletePartition(SegmentNames.DefaultDirectory, Partition);
        _directory.Delete(recursive: true);
    }
}
