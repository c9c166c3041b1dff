using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Framing;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

public sealed class ClientAgainstNodeOpcuaTests : IClassFixture<NodeOpcuaFixture>
{
    private readonly NodeOpcuaFixture _fixture;

    public ClientAgainstNodeOpcuaTests(NodeOpcuaFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task ReadsEveryTypeInOneRequest()
    {
        await using var client = new OpcUaClient(_fixture.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var nodes = new[] { "Bool", "Int16", "Int32", "UInt32", "Float", "Double", "String", "DateTime", "DoubleArray", "Int32Array" }
            .Select(name => new NodeId(1, name)).Append(new NodeId(0, 2258u)).ToArray();
        var values = new DataValue[nodes.Length];
        await client.ReadAsync(nodes, values, CancellationToken.None).WithTimeout();

        Assert.All(values, value => Assert.Equal(StatusCodes.Good, value.StatusCode));
        Assert.True(values[0].Value.AsBoolean());
        Assert.Equal((BuiltInType.Int16, -1234L), (values[1].Value.Type, values[1].Value.AsInt64()));
        Assert.Equal((BuiltInType.Int32, 123456789L), (values[2].Value.Type, values[2].Value.AsInt64()));
        Assert.Equal((BuiltInType.UInt32, 4000000000UL), (values[3].Value.Type, values[3].Value.AsUInt64()));
        Assert.Equal((BuiltInType.Float, 1.5f), (values[4].Value.Type, values[4].Value.AsFloat()));
        Assert.Equal((BuiltInType.Double, 3.25), (values[5].Value.Type, values[5].Value.AsDouble()));
        Assert.Equal("hello edge", values[6].Value.AsString());
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), values[7].Value.AsDateTime());
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5 }, (double[])values[8].Value.Reference!);
        Assert.Equal(new[] { 7, -8, 9 }, (int[])values[9].Value.Reference!);
        Assert.Equal(BuiltInType.DateTime, values[10].Value.Type);
        Assert.NotEqual(DateTime.MinValue, values[10].ServerTimestamp);
    }

    [Fact]
    public async Task WritesAndReadsBack()
    {
        await using var client = new OpcUaClient(_fixture.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var nodes = new[] { new NodeId(1, "Setpoint"), new NodeId(1, "WriteInt32") };
        var statuses = await client.WriteAsync(nodes, [DataValue.Of(Variant.FromDouble(42.5)), DataValue.Of(Variant.FromInt32(-77))], CancellationToken.None)
            .WithTimeout();
        Assert.Equal(new[] { StatusCodes.Good, StatusCodes.Good }, statuses);

        var values = new DataValue[2];
        await client.ReadAsync(nodes, values, CancellationToken.None).WithTimeout();
        Assert.Equal(42.5, values[0].Value.AsDouble());
        Assert.Equal(-77, values[1].Value.AsInt64());
    }

    [Fact]
    public async Task WriteToUnknownOrReadOnlyNodeFailsThatItemOnly()
    {
        await using var client = new OpcUaClient(_fixture.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var statuses = await client.WriteAsync(
            [new NodeId(1, "Missing"), new NodeId(1, "Counter"), new NodeId(1, "WriteInt32")],
            [DataValue.Of(Variant.FromInt32(1)), DataValue.Of(Variant.FromUInt32(1)), DataValue.Of(Variant.FromInt32(5))],
            CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.BadNodeIdUnknown, statuses[0]);
        Assert.True(StatusCodes.IsBad(statuses[1]), StatusCodes.Describe(statuses[1]));
        Assert.Equal(StatusCodes.Good, statuses[2]);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task UnknownNodeFailsOnlyItsItem()
    {
        await using var client = new OpcUaClient(_fixture.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var values = new DataValue[3];
        await client.ReadAsync([new NodeId(1, "Int32"), new NodeId(1, "DoesNotExist"), new NodeId(7, 99u)], values, CancellationToken.None)
            .WithTimeout();
        Assert.Equal(StatusCodes.Good, values[0].StatusCode);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, values[1].StatusCode);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, values[2].StatusCode);
    }

    [Fact]
    public async Task SplitsReadsByMaxNodesPerRead()
    {
        await using var client = new OpcUaClient(_fixture.Options(maxNodesPerRead: 2));
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var nodes = new[] { "Int16", "Int32", "UInt32", "Float", "Double" }.Select(name => new NodeId(1, name)).ToArray();
        var values = new DataValue[nodes.Length];
        await client.ReadAsync(nodes, values, CancellationToken.None).WithTimeout();
        Assert.Equal(3.25, values[4].Value.AsDouble());
        Assert.Equal(-1234, values[0].Value.AsInt64());
    }

    [Fact]
    public async Task ReassemblesResponsesSpanningManyChunks()
    {
        var options = _fixture.Options() with { TransportLimits = new TransportLimits(8192, 8192, 1 << 20, 64) };
        await using var client = new OpcUaClient(options);
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var values = new DataValue[1];
        await client.ReadAsync([new NodeId(1, "BigArray")], values, CancellationToken.None).WithTimeout();
        var array = (double[])values[0].Value.Reference!;
        Assert.Equal(5000, array.Length);
        Assert.Equal(4999.0, array[^1]);
    }

    [Fact]
    public async Task ResponseAboveTheMessageLimitFailsTyped()
    {
        var options = _fixture.Options() with { TransportLimits = new TransportLimits(8192, 8192, 16384, 64) };
        await using var client = new OpcUaClient(options);
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var values = new DataValue[1];
        var error = await Assert.ThrowsAsync<OpcUaProtocolException>(
            () => client.ReadAsync([new NodeId(1, "BigArray")], values, CancellationToken.None).WithTimeout());
        Assert.NotEqual(ProtocolErrorReason.Timeout, error.Reason);
    }

    [Fact]
    public async Task TranslatesBrowsePaths()
    {
        await using var client = new OpcUaClient(_fixture.Options());
        await client.ConnectAsync(CancellationToken.None).WithTimeout();
        var results = await client.TranslateBrowsePathsAsync(
            [[new QualifiedName(1, "Plant"), new QualifiedName(1, "Int32")], [new QualifiedName(1, "Plant"), new QualifiedName(1, "Nope")]],
            CancellationToken.None).WithTimeout();
        Assert.Equal(StatusCodes.Good, results[0].Status);
        Assert.Equal(new NodeId(1, "Int32"), results[0].Target);
        Assert.True(StatusCodes.IsBad(results[1].Status));
    }

    [Fact]
    public async Task ReconnectsAfterDisconnect()
    {
        await using var client = new OpcUaClient(_fixture.Options());
        for (var round = 0; round < 3; round++)
        {
            await client.ConnectAsync(CancellationToken.None).WithTimeout();
            var values = new DataValue[1];
            await client.ReadAsync([new NodeId(1, "Counter")], values, CancellationToken.None).WithTimeout();
            Assert.Equal(StatusCodes.Good, values[0].StatusCode);
            await client.DisconnectAsync().WithTimeout();
            Assert.False(client.IsConnected);
        }

        Assert.True(client.BytesIn > 0 && client.BytesOut > 0);
    }
}
