using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// Read, write, browse and discovery against node-opcua's server with the conformance address space of
/// tests/peers/opcua/conformance-space.mjs (the expected values below are the ones that script holds).
/// </summary>
public sealed class ClientConformanceTests : IClassFixture<ConformanceFixture>
{
    private readonly ConformanceFixture _fixture;

    public ClientConformanceTests(ConformanceFixture fixture) => _fixture = fixture;

    public static TheoryData<string, BuiltInType, object> Scalars => new()
    {
        { "Boolean", BuiltInType.Boolean, true },
        { "SByte", BuiltInType.SByte, -5L },
        { "Byte", BuiltInType.Byte, 200L },
        { "Int16", BuiltInType.Int16, -1234L },
        { "UInt16", BuiltInType.UInt16, 60000L },
        { "Int32", BuiltInType.Int32, -123456789L },
        { "UInt32", BuiltInType.UInt32, 4000000000L },
        { "Int64", BuiltInType.Int64, 0x7ff_fffffffeL },
        { "UInt64", BuiltInType.UInt64, 0xfffff_ffffffffL },
        { "Float", BuiltInType.Float, 1.5 },
        { "Double", BuiltInType.Double, -3.25 },
        { "String", BuiltInType.String, "héllo wörld" },
        { "DateTime", BuiltInType.DateTime, new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc) },
        { "Guid", BuiltInType.Guid, Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63") },
        { "ByteString", BuiltInType.ByteString, new byte[] { 1, 2, 3, 250 } },
        { "XmlElement", BuiltInType.XmlElement, "<a>1</a>" },
        { "NodeId", BuiltInType.NodeId, new NodeId(1, "Target") },
        { "StatusCode", BuiltInType.StatusCode, (long)StatusCodes.BadNodeIdUnknown },
        { "QualifiedName", BuiltInType.QualifiedName, new QualifiedName(1, "Qualified") },
        { "LocalizedText", BuiltInType.LocalizedText, new LocalizedText("en", "Localized") },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public async Task EveryScalarTypeReadsAsTheServerHoldsIt(string type, BuiltInType expectedType, object expected)
    {
        await using var client = await ConnectAsync();
        var value = await ReadOneAsync(client, $"Scalar.{type}");
        Assert.Equal(expectedType, value.Type);
        Assert.Equal(expected, Plain(value));
    }

    [Fact]
    public async Task EveryArrayTypeReadsAsTheServerHoldsIt()
    {
        await using var client = await ConnectAsync();
        var expected = new Dictionary<string, Array>
        {
            ["Boolean"] = new[] { true, false, true },
            ["SByte"] = new sbyte[] { -1, 0, 1 },
            ["Byte"] = new byte[] { 0, 128, 255 },
            ["Int16"] = new short[] { short.MinValue, 0, short.MaxValue },
            ["UInt16"] = new ushort[] { 0, 1, ushort.MaxValue },
            ["Int32"] = new[] { int.MinValue, 0, int.MaxValue },
            ["UInt32"] = new[] { 0u, 1u, uint.MaxValue },
            ["Int64"] = new[] { 1L, 2L, 3L },
            ["UInt64"] = new[] { 4UL, 5UL, 6UL },
            ["Float"] = new[] { 0.5f, -0.25f, 8f },
            ["Double"] = new[] { 1.25, -2.5, 1e300 },
            ["String"] = new[] { "a", string.Empty, "ü" },
            ["DateTime"] = new[]
            {
                new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2021, 6, 6, 7, 8, 9, DateTimeKind.Utc),
                new DateTime(2030, 12, 31, 0, 0, 0, DateTimeKind.Utc),
            },
            ["Guid"] = new[]
            {
                Guid.Parse("00000000-0000-0000-0000-000000000001"), Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63"),
                Guid.Parse("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"),
            },
            ["ByteString"] = new object[] { new byte[] { 1 }, new byte[] { 2, 3 }, Array.Empty<byte>() },
            ["LocalizedText"] = new object[] { new LocalizedText(null, "one"), new LocalizedText("de", "zwei"), new LocalizedText(null, "three") },
        };

        foreach (var (type, values) in expected)
        {
            var value = await ReadOneAsync(client, $"Array.{type}");
            Assert.True(value.IsArray, type);
            Assert.Equal(values, (Array)value.Reference!);
        }
    }

    [Fact]
    public async Task MatrixKeepsItsDimensionsAndStructureIsDecoded()
    {
        await using var client = await ConnectAsync();
        var matrix = await ReadOneAsync(client, "Matrix");
        Assert.Equal(new[] { 2, 3 }, matrix.ArrayDimensions);
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6 }, (double[])matrix.Reference!);

        var range = await ReadOneAsync(client, "Range");
        var structure = Assert.IsType<ExtensionObject>(range.Reference);
        Assert.Equal(new ValueRange(-10, 90), structure.Structure);
    }

    [Theory]
    [InlineData("Int32", 0)]
    [InlineData("Double", 1)]
    [InlineData("String", 2)]
    [InlineData("DateTime", 3)]
    [InlineData("Guid", 4)]
    [InlineData("ByteString", 5)]
    [InlineData("Int64", 6)]
    [InlineData("Boolean", 7)]
    public async Task WrittenValueReadsBack(string type, int sample)
    {
        await using var client = await ConnectAsync();
        var written = type switch
        {
            "Int32" => Variant.FromInt32(-42 - sample),
            "Double" => Variant.FromDouble(2.71828),
            "String" => Variant.FromString("written ✓"),
            "DateTime" => Variant.FromDateTime(new DateTime(2031, 3, 4, 5, 6, 7, DateTimeKind.Utc)),
            "Guid" => Variant.FromReference(BuiltInType.Guid, Guid.Parse("0F0E0D0C-0B0A-0908-0706-050403020100")),
            "ByteString" => Variant.FromByteString([9, 8, 7]),
            "Int64" => Variant.FromInt64(-1L << 40),
            _ => Variant.FromBoolean(false),
        };
        var node = Node(client, $"Scalar.{type}");
        // Writes go to the scalar nodes the type-read theory checks too: restore what was there afterwards.
        var original = await ReadOneAsync(client, $"Scalar.{type}");
        try
        {
            var statuses = await client.WriteAsync([node], [DataValue.Of(written)], CancellationToken.None).WithTimeout();
            Assert.Equal(new[] { StatusCodes.Good }, statuses);
            Assert.Equal(Plain(written), Plain(await ReadOneAsync(client, $"Scalar.{type}")));
        }
        finally
        {
            await client.WriteAsync([node], [DataValue.Of(original)], CancellationToken.None).WithTimeout();
        }
    }

    [Fact]
    public async Task AccessLevelsAreEnforcedPerNode()
    {
        await using var client = await ConnectAsync();
        string[] names = ["ReadOnly", "WriteOnly", "None", "ReadWrite"];
        var nodes = names.Select(name => Node(client, $"Access.{name}")).ToArray();
        var values = new DataValue[nodes.Length];
        await client.ReadAsync(nodes, values, CancellationToken.None).WithTimeout();
        Assert.Equal(
            [StatusCodes.Good, StatusCodes.BadNotReadable, StatusCodes.BadNotReadable, StatusCodes.Good],
            values.Select(value => value.StatusCode));

        var levels = new DataValue[nodes.Length];
        await client.ReadAttributesAsync(nodes, [.. nodes.Select(_ => AttributeId.AccessLevel)], levels, CancellationToken.None).WithTimeout();
        Assert.Equal([1L, 2L, 0L, 3L], levels.Select(level => level.Value.AsInt64()));

        var writes = await client.WriteAsync(nodes, [.. nodes.Select(_ => DataValue.Of(Variant.FromInt32(42)))], CancellationToken.None).WithTimeout();
        Assert.Equal([StatusCodes.BadNotWritable, StatusCodes.Good, StatusCodes.BadNotWritable, StatusCodes.Good], writes);
    }

    [Fact]
    public async Task BrowseFollowsContinuationPointsThroughAWideFolder()
    {
        await using var client = new OpcUaClient(_fixture.Server.Options() with { MaxReferencesPerNode = 7 });
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var children = new List<ReferenceDescription>();
        await foreach (var reference in client.BrowseChildrenAsync(Node(client, "Wide"), CancellationToken.None))
        {
            children.Add(reference);
        }

        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"Item{i:000}"), children.Select(child => child.BrowseName.Name));
        Assert.All(children, child => Assert.Equal(NodeClass.Variable, child.NodeClass));
    }

    [Fact]
    public async Task BrowseReachesTheBottomOfADeepTree()
    {
        await using var client = await ConnectAsync();
        var node = Node(client, "Deep");
        for (var level = 1; level <= 6; level++)
        {
            var children = await client.BrowseAllAsync(Children(node), CancellationToken.None).WithTimeout();
            var child = Assert.Single(children);
            Assert.Equal($"Level{level}", child.BrowseName.Name);
            node = client.Namespaces.Resolve(child.NodeId)!;
        }

        var leaf = Assert.Single(await client.BrowseAllAsync(Children(node), CancellationToken.None).WithTimeout());
        Assert.Equal("Leaf", leaf.BrowseName.Name);
        var values = new DataValue[1];
        await client.ReadAsync([client.Namespaces.Resolve(leaf.NodeId)!], values, CancellationToken.None).WithTimeout();
        Assert.Equal(6.5, values[0].Value.AsDouble());
    }

    [Fact]
    public async Task RegisteredNodesReadLikeTheOriginals()
    {
        await using var client = await ConnectAsync();
        var nodes = Enumerable.Range(0, 5).Select(i => Node(client, $"Wide.Item{i:000}")).ToArray();
        var registered = await client.RegisterNodesAsync(nodes, CancellationToken.None).WithTimeout();
        var values = new DataValue[nodes.Length];
        await client.ReadAsync(registered, values, CancellationToken.None).WithTimeout();
        Assert.Equal([0L, 1, 2, 3, 4], values.Select(value => value.Value.AsInt64()));
        await client.UnregisterNodesAsync(registered, CancellationToken.None).WithTimeout();
    }

    [Fact]
    public async Task EndpointsAreListedAndTheSelectedOneUsesTheDialedHost()
    {
        var url = $"opc.tcp://localhost:{_fixture.Server.Port}";
        var endpoints = await OpcUaDiscovery.GetEndpointsAsync(url, null, CancellationToken.None).WithTimeout();
        Assert.Contains(endpoints, endpoint => endpoint.SecurityMode == MessageSecurityMode.None);

        // node-opcua advertises 127.0.0.1 (its hostname option); the selection keeps the host this client dialed.
        var selected = OpcUaDiscovery.Select(endpoints, url);
        Assert.NotNull(selected);
        Assert.StartsWith($"opc.tcp://localhost:{_fixture.Server.Port}", selected.EndpointUrl, StringComparison.Ordinal);

        var servers = await OpcUaDiscovery.FindServersAsync(url, null, CancellationToken.None).WithTimeout();
        Assert.Contains(servers, server => server.ApplicationType == ApplicationType.Server);
    }

    private async Task<OpcUaClient> ConnectAsync()
    {
        var client = new OpcUaClient(_fixture.Server.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        return client;
    }

    internal static NodeId Node(OpcUaClient client, string path) =>
        client.Namespaces.Parse($"nsu={ConformanceServer.Namespace};s=Conformance.{path}");

    private static BrowseDescription Children(NodeId node) =>
        new(node, BrowseDirection.Forward, new NodeId(0, 33u), true, NodeClass.Unspecified, BrowseResultMask.All);

    private static async Task<Variant> ReadOneAsync(OpcUaClient client, string path)
    {
        var values = new DataValue[1];
        await client.ReadAsync([Node(client, path)], values, CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.Good, values[0].StatusCode);
        return values[0].Value;
    }

    /// <summary>A scalar as a comparable .NET value: integers as Int64, floats as Double, references as they are.</summary>
    private static object? Plain(Variant value) => value.Type switch
    {
        BuiltInType.Boolean => value.AsBoolean(),
        BuiltInType.SByte or BuiltInType.Int16 or BuiltInType.Int32 or BuiltInType.Int64 => value.AsInt64(),
        BuiltInType.Byte or BuiltInType.UInt16 or BuiltInType.UInt32 or BuiltInType.UInt64 or BuiltInType.StatusCode => (long)value.AsUInt64(),
        BuiltInType.Float => (double)value.AsFloat(),
        BuiltInType.Double => value.AsDouble(),
        BuiltInType.DateTime => value.AsDateTime(),
        _ => value.Reference,
    };
}
