namespace EdgePartition.Config.Tests;

/// <summary>
/// `edgepart config import-s7sync` reproduces the s7sync utility's sync DB layout, checked with the worked example
/// of shared/reference/s7-modbus.md section 3: PLC_H150's DB17.INT0 lands in DB200.INT44 on all three PLCs and the
/// server heartbeat is DB200.INT56.
/// </summary>
public sealed class S7SyncImporterTests
{
    /// <summary>The worked example's v1 config: JSON with comments, explicit syncDbOffset per PLC.</summary>
    private const string WorkedExampleV1 = """
        {
          // cycle and connection settings
          "operationInterval": 500,
          "maxReconnectAttempts": 10,
          "reconnectInterval": 5000,
          "httpPort": 3010,
          /* three PLCs; each shares variables of its own DB */
          "plcs": [
            {
              "name": "PLC_SERVER", "ip": "192.168.178.190", "rack": 0, "slot": 1,
              "syncDbOffset": 0, "dbNumber": 17, "syncDbNumber": 200,
              "variables": {
                "cip_pump_enable_state": { "type": "BOOL", "byte": 0, "bit": 0 },
                "cip_pump_speed_control": { "type": "INT", "offset": 2 },
                "heartbeat": { "type": "INT", "offset": 4 },
                "buffer_temperatures": [
                  { "type": "REAL", "offset": 6 }, { "type": "REAL", "offset": 10 }, { "type": "REAL", "offset": 14 },
                  { "type": "REAL", "offset": 18 }, { "type": "REAL", "offset": 22 }, { "type": "REAL", "offset": 26 },
                ],
                "buffer1_volume": { "type": "REAL", "offset": 30 },
                "buffer2_volume": { "type": "REAL", "offset": 34 },
                "buffer3_volume": { "type": "REAL", "offset": 38 },
                "buffers_ready_to_fill": { "type": "BOOL", "byte": 42, "bit": 0 },
              },
            },
            {
              "name": "PLC_H150", "ip": "192.168.178.184", "rack": 0, "slot": 1,
              "syncDbOffset": 44, "dbNumber": 17, "syncDbNumber": 200,
              "variables": {
                "cip_pump_speed_state": { "type": "INT", "offset": 0 },
                "heartbeat": { "type": "INT", "offset": 2 },
              },
            },
            {
              "name": "PLC_STORAGE", "ip": "192.168.178.186", "rack": 0, "slot": 1,
              "syncDbOffset": 48, "dbNumber": 11, "syncDbNumber": 200,
              "variables": {
                "cip_pump_request": { "type": "BOOL", "byte": 0, "bit": 0 },
                "cip_pump_ack": { "type": "BOOL", "byte": 0, "bit": 1 },
                "cip_pump_speed_request": { "type": "INT", "offset": 2 },
                "cip_pump_speed_ack": { "type": "BOOL", "byte": 4, "bit": 0 },
                "heartbeat": { "type": "INT", "offset": 6 },
              },
            },
          ],
        }
        """;

    [Fact]
    public void WorkedExampleLandsWhereTheUtilityWroteIt()
    {
        var config = ImportThroughFiles(WorkedExampleV1);

        AssertWorkedExampleLayout(config);
    }

    [Fact]
    public void V2ComputedOffsetsGiveTheSameLayoutAsTheHandWrittenV1Ones()
    {
        var v2 = WorkedExampleV1.Replace("\"syncDbOffset\": 0, ", "", StringComparison.Ordinal)
            .Replace("\"syncDbOffset\": 44, ", "", StringComparison.Ordinal)
            .Replace("\"syncDbOffset\": 48, ", "", StringComparison.Ordinal);
        Assert.DoesNotContain("syncDbOffset", v2, StringComparison.Ordinal);

        var config = ImportThroughFiles(v2);

        AssertWorkedExampleLayout(config);
    }

    [Fact]
    public void V2RuleRoundsEachPlcsRegionUpToEven()
    {
        var config = S7SyncImporter.Import("""
            { "plcs": [
                { "name": "A", "ip": "10.0.0.1", "dbNumber": 5, "variables": { "x": { "type": "BOOL", "byte": 2, "bit": 7 } } },
                { "name": "B", "ip": "10.0.0.2", "dbNumber": 5, "variables": { "y": { "type": "REAL", "offset": 0 } } },
                { "name": "C", "ip": "10.0.0.3", "dbNumber": 5, "variables": { "z": { "type": "INT", "offset": 0 } } } ] }
            """, "p");

        // A's highest byte is 2: 3 bytes, rounded to 4. B's is 3: 4 bytes. C starts at 8.
        Assert.Equal([("A", 2, 7), ("B", 4, -1), ("C", 8, -1)], config.Sync!.Contributions.Select(c => (c.Device, c.ImageOffset, c.ImageBit)));
        Assert.Equal(10, config.Sync.ServerHeartbeat!.ImageOffset);
        Assert.Equal(12, config.Sync.ImageSize);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Sync.CycleTime);
    }

    [Fact]
    public void HeartbeatFollowsAnOddEndUnrounded()
    {
        var config = S7SyncImporter.Import("""
            { "plcs": [ { "name": "A", "ip": "10.0.0.1", "syncDbOffset": 0, "dbNumber": 5,
                "variables": { "i": { "type": "INT", "offset": 0 }, "b": { "type": "BOOL", "byte": 2, "bit": 0 } } } ] }
            """, "p");

        Assert.Equal(3, config.Sync!.ServerHeartbeat!.ImageOffset);
        Assert.Equal(6, config.Sync.ImageSize);
    }

    [Fact]
    public void CommandWritesFilesThatValidate()
    {
        using var directory = new TempConfigDirectory();
        var json = directory.Write("config.json", WorkedExampleV1);
        var output = new StringWriter();
        var errors = new StringWriter();

        var exitCode = S7SyncImportCommand.Run(json, Path.Combine(directory.Path, "out"), "plant", output, errors);

        Assert.Equal(0, exitCode);
        Assert.Equal("", errors.ToString());
        Assert.Contains("44       PLC_H150.cip_pump_speed_state (DB17.DBW0)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("56       server heartbeat", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(PartitionConfigLoader.Validate(Path.Combine(directory.Path, "out", "plant.xml")));
        Assert.Empty(PartitionConfigLoader.Validate(Path.Combine(directory.Path, "out", "plant-s7.xml")));
    }

    [Fact]
    public void BrokenJsonIsReportedAtItsPositionWithExitCode78()
    {
        using var directory = new TempConfigDirectory();
        var json = directory.Write("config.json", "{\n  \"plcs\": [\n    { \"name\": \"A\" \"ip\": \"1.2.3.4\" }\n  ]\n}\n");
        var errors = new StringWriter();

        var exitCode = S7SyncImportCommand.Run(json, directory.Path, "p", TextWriter.Null, errors);

        Assert.Equal(78, exitCode);
        Assert.StartsWith($"{json}:3:", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("not valid JSON", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsEveryProblemOfTheJsonAtOnce()
    {
        var e = Assert.Throws<ConfigException>(() => S7SyncImporter.Import("""
            { "plcs": [
                { "name": "A", "ip": "10.0.0.1", "dbNumber": 5, "variables": { "x": { "type": "DINT", "offset": 0 } } },
                { "name": "B", "dbNumber": 5, "variables": { "y": { "type": "BOOL", "byte": 0, "bit": 9 } } } ] }
            """, "p"));

        Assert.Contains(e.Problems, p => p.Message.Contains("type 'DINT' is not one the utility knows", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Message.Contains("plcs[1]: 'ip' must be a non-empty string", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Message.Contains("bit must be 0..7", StringComparison.Ordinal));
    }

    private static PartitionConfig ImportThroughFiles(string json)
    {
        using var directory = new TempConfigDirectory();
        var imported = S7SyncImporter.Import(json, "plant");
        return PartitionConfigLoader.Load(PartitionConfigWriter.Save(imported, directory.Path, "plant.xml"));
    }

    private static void AssertWorkedExampleLayout(PartitionConfig config)
    {
        var sync = config.Sync!;
        var speedState = Assert.Single(sync.Contributions, c => c.Device == "PLC_H150" && c.Tag == "cip_pump_speed_state");
        Assert.Equal((44, 2), (speedState.ImageOffset, speedState.ByteLength));
        Assert.Equal("DB17.DBW0", config.GetDevice("PLC_H150").GetTag("cip_pump_speed_state").Address);
        Assert.Equal((56, 256), (sync.ServerHeartbeat!.ImageOffset, sync.ServerHeartbeat.Modulo));
        Assert.Equal(58, sync.ImageSize);

        // Every PLC, the source included, receives the same image into DB200 from byte 0.
        Assert.Equal(["PLC_SERVER", "PLC_H150", "PLC_STORAGE"], sync.Receivers.Select(r => r.Device));
        foreach (var receiver in sync.Receivers)
        {
            var tag = config.GetDevice(receiver.Device).GetTag(receiver.Tag);
            Assert.Equal((200, 0, 58, true), (tag.S7Address!.Value.DbNumber, tag.S7Address.Value.Offset, tag.ByteLength, tag.Writable));
        }

        Assert.Equal((48, 0), Bit(sync, "PLC_STORAGE", "cip_pump_request"));
        Assert.Equal((48, 1), Bit(sync, "PLC_STORAGE", "cip_pump_ack"));
        Assert.Equal((42, 0), Bit(sync, "PLC_SERVER", "buffers_ready_to_fill"));
        Assert.Equal(26, Assert.Single(sync.Contributions, c => c.Tag == "buffer_temperatures_5").ImageOffset);
        Assert.Equal(["PLC_SERVER", "PLC_H150", "PLC_STORAGE"], sync.DeviceHeartbeats.Select(h => h.Device));
        Assert.Equal(3010, config.Consumers.Http!.Port);
        Assert.Equal(TimeSpan.FromMilliseconds(500), sync.CycleTime);
        Assert.Equal(("192.168.178.184", 0, 1), (config.GetDevice("PLC_H150").S7.Host, config.GetDevice("PLC_H150").S7.Rack, config.GetDevice("PLC_H150").S7.Slot));
    }

    private static (int Offset, int Bit) Bit(SyncConfig sync, string device, string tag)
    {
        var c = Assert.Single(sync.Contributions, c => c.Device == device && c.Tag == tag);
        return (c.ImageOffset, c.ImageBit);
    }
}
