using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// Service messages against bytes node-opcua 2.175.6 encodes for the same values (captured once with its
/// BinaryStream; the type id NodeId that precedes the body on the wire is prefixed here).
/// </summary>
public sealed class ServiceMessageKnownBytesTests
{
    private const string Timestamp = "804079FBC25CDB01"; // 2025-01-02T03:04:05Z
    private const uint Handle = 7;

    private static readonly DateTime At = new(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void CreateSubscriptionResponseMatchesNodeOpcua()
    {
        var bytes = Convert.FromHexString("01001603" + Timestamp + "07000000000000000000000000000000030000000000000000406F401E0000000A000000");
        var response = SubscriptionMessages.CreateResponseCodec.Decode(bytes);
        Assert.Equal(3u, response.SubscriptionId);
        Assert.Equal(new SubscriptionMessages.RevisedSubscription(250, 30, 10), response.Revised);
        AssertReencodes(bytes, SubscriptionMessages.CreateResponseCodec, response);
    }

    [Fact]
    public void KeepAlivePublishResponseMatchesNodeOpcua()
    {
        var bytes = Convert.FromHexString("01003D03" + Timestamp + "070000000000000000000000000000000300000000000000000500000080"
            + "4079FBC25CDB01000000000000000000000000");
        var response = PublishMessages.PublishResponseCodec.Decode(bytes);
        Assert.True(response.NotificationMessage.IsKeepAlive);
        Assert.Equal(5u, response.NotificationMessage.SequenceNumber);
        Assert.Equal(At, response.NotificationMessage.PublishTime);
        AssertReencodes(bytes, PublishMessages.PublishResponseCodec, response);
    }

    [Fact]
    public void DataChangeAndStatusChangeNotificationsMatchNodeOpcua()
    {
        var bytes = Convert.FromHexString("01003D03" + Timestamp + "07000000000000000000000000000000030000000100000004000000000400000080"
            + "4079FBC25CDB010200000001002B03011E0000000100000009000000050B000000000000F83F804079FBC25CDB01000000000100340301050000"
            + "0000000A8000010000000000000000000000");
        var response = PublishMessages.PublishResponseCodec.Decode(bytes);
        Assert.Equal(new uint[] { 4 }, response.AvailableSequenceNumbers);
        var data = response.NotificationMessage.NotificationData;
        var change = Assert.IsType<DataChangeNotification>(data[0].Structure);
        var item = Assert.Single(change.MonitoredItems);
        Assert.Equal(9u, item.ClientHandle);
        Assert.Equal(1.5, item.Value.Value.AsDouble());
        Assert.Equal(At, item.Value.SourceTimestamp);
        Assert.Equal(StatusCodes.BadTimeout, Assert.IsType<StatusChangeNotification>(data[1].Structure).Status);
        Assert.Equal(new[] { StatusCodes.Good }, response.AcknowledgementResults);
        AssertReencodes(bytes, PublishMessages.PublishResponseCodec, response);
    }

    [Fact]
    public void CreateMonitoredItemsRequestWithDeadbandMatchesNodeOpcua()
    {
        // node-opcua's RequestHeader (token i=1, handle 8, empty audit id, timeout 5000) then the fields.
        const string header = "0001" + Timestamp + "08000000" + "00000000" + "00000000" + "88130000" + "000000";
        const string fields = "03000000020000000100000003010007000000436F756E7465720D000000FFFFFFFF0000FFFFFFFF0200000009000000000000000000594001"
            + "00D40201100000000100000001000000000000000000E03F0A00000001";
        var (head, request) = MonitoredItemMessages.CreateRequestCodec.Decode(Convert.FromHexString("0100EF02" + header + fields));
        Assert.Equal((8u, 5000u), (head.RequestHandle, head.TimeoutHintMs));
        Assert.Equal(TimestampsToReturn.Both, request.TimestampsToReturn);
        var item = Assert.Single(request.Items);
        Assert.Equal(new NodeId(1, "Counter"), item.ItemToMonitor.NodeId);
        Assert.Equal(MonitoringMode.Reporting, item.MonitoringMode);
        Assert.Equal((9u, 100.0, 10u, true), (item.RequestedParameters.ClientHandle, item.RequestedParameters.SamplingInterval,
            item.RequestedParameters.QueueSize, item.RequestedParameters.DiscardOldest));
        Assert.Equal(new DataChangeFilter(DataChangeTrigger.StatusValue, DeadbandType.Absolute, 0.5), item.RequestedParameters.Filter.Structure);

        // Our encoder writes the same fields for the same request built from scratch.
        var built = new MonitoredItemMessages.CreateMonitoredItemsRequest(3, TimestampsToReturn.Both,
        [
            new MonitoredItemCreateRequest(ReadValueId.Value(new NodeId(1, "Counter")), MonitoringMode.Reporting, new MonitoringParameters(
                9, 100, ExtensionObject.FromStructure(DataChangeFilter.BinaryEncodingId, new DataChangeFilter(DataChangeTrigger.StatusValue, DeadbandType.Absolute, 0.5)), 10, true)),
        ]);
        var writer = new Encoding.UaWriter();
        MonitoredItemMessages.CreateRequestCodec.EncodeFields(writer, built);
        Assert.Equal(fields, Convert.ToHexString(writer.Written));
    }

    [Fact]
    public void BrowseResponseWithContinuationPointMatchesNodeOpcua()
    {
        var bytes = Convert.FromHexString("01001202" + Timestamp + "070000000000000000000000000000000100000000000000030000000102030100000000230103010007000000"
            + "446576696365310100070000004465766963653102070000004465766963653101000000003A00000000");
        var response = ViewMessages.BrowseResponseCodec.Decode(bytes);
        var result = Assert.Single(response.Results);
        Assert.Equal(new byte[] { 1, 2, 3 }, result.ContinuationPoint);
        var reference = Assert.Single(result.References);
        Assert.Equal(new NodeId(1, "Device1"), reference.NodeId.NodeId);
        Assert.Equal(new QualifiedName(1, "Device1"), reference.BrowseName);
        Assert.Equal(NodeClass.Object, reference.NodeClass);
        Assert.Equal(new NodeId(0, 58), reference.TypeDefinition.NodeId);
        AssertReencodes(bytes, ViewMessages.BrowseResponseCodec, response);
    }

    [Fact]
    public void EventNotificationListAndServerStatusMatchNodeOpcua()
    {
        var events = Decode(EventNotificationList.BinaryEncodingId, "0100000002000000020000000C010000007805F401");
        var fields = Assert.IsType<EventNotificationList>(events).Events[0].EventFields;
        Assert.Equal("x", fields[0].AsString());
        Assert.Equal(500UL, fields[1].Bits);

        var status = Assert.IsType<ServerStatusDataType>(Decode(ServerStatusDataType.BinaryEncodingId,
            Timestamp + Timestamp + "000000000500000075726E3A70010000006D010000006E01000000310100000032" + Timestamp + "0000000000"));
        Assert.Equal(ServerState.Running, status.State);
        Assert.Equal("urn:p", status.BuildInfo.ProductUri);
        Assert.Equal(At, status.BuildInfo.BuildDate);
    }

    private static object? Decode(uint encodingId, string bodyHex)
    {
        var body = Convert.FromHexString(bodyHex);
        var writer = new Encoding.UaWriter();
        Encoding.NodeIdCodec.Write(writer, new NodeId(0, encodingId));
        writer.WriteByte(ExtensionObject.BinaryBody);
        writer.WriteByteString(body);
        var reader = new Encoding.UaReader(writer.Written);
        var extension = Encoding.StructureCodec.ReadExtensionObject(ref reader);
        Assert.Equal(body, extension.Body);
        return extension.Structure;
    }

    private static void AssertReencodes<T>(byte[] expected, ResponseMessage<T> codec, T response)
    {
        var writer = new Encoding.UaWriter();
        codec.Encode(writer, Handle, response, At);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(writer.Written));
    }
}
