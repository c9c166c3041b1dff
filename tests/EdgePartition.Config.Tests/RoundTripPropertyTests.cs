using FsCheck;
using FsCheck.Fluent;

namespace EdgePartition.Config.Tests;

/// <summary>For generated models (S7 and Modbus tags of every type, odd text, numbers), write → load is lossless.</summary>
public sealed class RoundTripPropertyTests
{
    private static readonly string[] S7Types = ["BOOL", "BYTE", "WORD", "DWORD", "INT", "UINT", "DINT", "REAL", "LREAL", "LINT", "STRING", "WSTRING", "DTL", "S5TIME", "TIME_OF_DAY"];
    private static readonly string[] ModbusTypes = ["bit", "int16", "uint16", "int32", "uint32", "float32", "float64", "uint64", "string"];

    /// <summary>Text that XML can carry, including the characters that must be escaped.</summary>
    private static readonly Gen<string> Text =
        Gen.Elements('a', 'Z', '0', ' ', '<', '>', '&', '"', '\'', 'ä', '°', '€', '漢', '\t')
            .ArrayOf()
            .Select(chars => new string(chars).Trim());

    private static readonly Gen<double> Number =
        Gen.Elements(0d, 1d, -1d, 0.1, 1d / 3, 1e-9, 123456.789, -273.15, double.MaxValue, double.Epsilon);

    [Fact]
    public void GeneratedModelsSurviveWritingAndLoading()
    {
        var models =
            from s7Tags in Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(TagSpec(S7Types), n))
            from modbusTags in Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(TagSpec(ModbusTypes), n))
            from host in Gen.Elements("127.0.0.1", "plc.example", "::1")
            from rack in Gen.Choose(0, 7)
            from slot in Gen.Choose(0, 31)
            from unitId in Gen.Choose(0, 255)
            from addressBase in Gen.Choose(0, 1)
            select Build(s7Tags, modbusTags, host, rack, slot, unitId, addressBase);

        Prop.ForAll(models.ToArbitrary(), RoundTrips).QuickCheckThrowOnFailure();
    }

    private sealed record Spec(string Type, int Length, double Scale, double Offset, double Deadband, bool Writable, string Description);

    private static Gen<Spec> TagSpec(string[] types) =>
        from type in Gen.Elements(types)
        from length in Gen.Choose(1, 4)
        from scale in Number
        from offset in Number
        from deadband in Number.Select(Math.Abs)
        from writable in Gen.Elements(true, false)
        from description in Text
        select new Spec(type, length, scale, offset, deadband, writable, description);

    private static bool RoundTrips(PartitionConfig model)
    {
        using var directory = new TempConfigDirectory();
        var path = PartitionConfigWriter.Save(model, directory.Path, "p.xml");
        var loaded = PartitionConfigLoader.Load(path);

        // The generated model has no parsed addresses; compare against what the loader makes of the written file.
        ModelComparer.AssertEqual(PartitionConfigLoader.Load(PartitionConfigWriter.Save(loaded, Path.Combine(directory.Path, "again"), "p.xml")), loaded);
        Assert.Equal(model.Devices.Select(d => d.Tags.Count), loaded.Devices.Select(d => d.Tags.Count));
        foreach (var (expected, actual) in model.Devices.SelectMany(d => d.Tags).Zip(loaded.Devices.SelectMany(d => d.Tags)))
        {
            Assert.Equal(
                (expected.Name, expected.Address, expected.DataType, expected.ArrayLength, expected.Scale, expected.ScaleOffset, expected.Deadband, expected.Writable, expected.Description),
                (actual.Name, actual.Address, actual.DataType, actual.ArrayLength, actual.Scale, actual.ScaleOffset, actual.Deadband, actual.Writable, actual.Description));
        }

        return true;
    }

    private static PartitionConfig Build(Spec[] s7Specs, Spec[] modbusSpecs, string host, int rack, int slot, int unitId, int addressBase)
    {
        // Each tag gets its own DB / register range, so generated tags never overlap.
        var s7Tags = s7Specs.Select((s, i) => new TagConfig
        {
            Name = $"s{i}",
            Address = s.Type == "BOOL" ? $"DB{i + 1}.DBX0.{i % 4}" : $"DB{i + 1}.DBB0",
            DataType = s.Type,
            ArrayLength = s.Length,
            StringLength = s.Type is "STRING" or "WSTRING" ? 10 + i : null,
            Scale = s.Scale,
            ScaleOffset = s.Offset,
            Deadband = s.Deadband,
            Writable = s.Writable,
            Description = s.Description.Length == 0 ? null : s.Description,
            PollGroup = "g",
        }).ToList();
        var modbusTags = modbusSpecs.Select((s, i) => new TagConfig
        {
            Name = $"m{i}",
            Address = $"{(s.Type == "bit" ? "coil" : "holding")}:{(i * 100) + addressBase}",
            DataType = s.Type,
            ArrayLength = s.Length,
            StringLength = s.Type == "string" ? 20 : null,
            ByteOrder = (ByteOrder)(i % 4),
            Scale = s.Scale,
            Writable = s.Writable,
            PollGroup = "g",
        }).ToList();

        return new PartitionConfig
        {
            Name = "gen",
            EndpointFiles =
            [
                new EndpointFileConfig
                {
                    Protocol = Protocol.S7,
                    Devices = [new DeviceConfig { Name = "plc", Protocol = Protocol.S7, Connection = new S7ConnectionConfig { Host = host, Rack = rack, Slot = slot }, PollGroups = [new PollGroupConfig { Name = "g", CycleTime = TimeSpan.FromMilliseconds(100), Tags = s7Tags }] }],
                },
                new EndpointFileConfig
                {
                    Protocol = Protocol.Modbus,
                    Devices = [new DeviceConfig { Name = "mb", Protocol = Protocol.Modbus, Connection = new ModbusConnectionConfig { Host = host, UnitId = unitId, AddressBase = addressBase }, PollGroups = [new PollGroupConfig { Name = "g", CycleTime = TimeSpan.FromSeconds(1), Tags = modbusTags }] }],
                },
            ],
        };
    }
}
