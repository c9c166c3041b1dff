using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>Every request and response encodes, decodes and re-encodes to the same bytes; a ServiceFault in its place is typed.</summary>
public sealed class ServiceMessageRoundTripTests
{
    private static readonly DateTime At = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);
    private static readonly RequestContext Context = new(new NodeId(0, 77), 42, TimeSpan.FromSeconds(5));

    private static readonly ExtensionObject Filter =
        ExtensionObject.FromStructure(DataChangeFilter.BinaryEncodingId, new DataChangeFilter(DataChangeTrigger.StatusValueTimestamp, DeadbandType.Percent, 2.5));

    private static readonly MonitoringParameters Parameters = new(9, 100, Filter, 10, true);

    private static readonly NotificationMessage Notifications = new(12, At,
    [
        ExtensionObject.FromStructure(DataChangeNotification.BinaryEncodingId, new DataChangeNotification(
            [new MonitoredItemNotification(1, DataValue.Of(Variant.FromDouble(1.5))), new MonitoredItemNotification(2, new DataValue(default, StatusCodes.BadNoCommunication, At, At))],
            [])),
        ExtensionObject.FromStructure(EventNotificationList.BinaryEncodingId, new EventNotificationList(
            [new EventFieldList(3, [Variant.FromString("alarm"), Variant.FromUInt16(500), Variant.FromDateTime(At)])])),
        ExtensionObject.FromStructure(StatusChangeNotification.BinaryEncodingId, new StatusChangeNotification(StatusCodes.BadTimeout, new DiagnosticInfo { SymbolicId = 1 })),
    ]);

    [Fact]
    public void DiscoveryMessagesRoundTrip()
    {
        var application = new ApplicationDescription("urn:server", "urn:product", new LocalizedText("en", "Server"), ApplicationType.Server, null, null, ["opc.tcp://host:4840"]);
        RoundTrip(DiscoveryMessages.GetEndpointsRequestCodec, new DiscoveryMessages.GetEndpointsRequest("opc.tcp://127.0.0.1:4840", ["en"], []));
        RoundTrip(DiscoveryMessages.GetEndpointsResponseCodec,
        [
            new EndpointDescription("opc.tcp://host:4840", application, [1, 2, 3], MessageSecurityMode.None, "http://opcfoundation.org/UA/SecurityPolicy#None",
                [new UserTokenPolicy("anonymous", UserTokenType.Anonymous, null, null, null), new UserTokenPolicy("user", UserTokenType.UserName, null, null, "p")],
                "http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary", 0),
        ]);
        RoundTrip(DiscoveryMessages.FindServersRequestCodec, new DiscoveryMessages.FindServersRequest("opc.tcp://127.0.0.1:4840", [], ["urn:server"]));
        RoundTrip(DiscoveryMessages.FindServersResponseCodec, [application]);
    }

    [Fact]
    public void ViewMessagesRoundTrip()
    {
        RoundTrip(ViewMessages.BrowseRequestCodec, new ViewMessages.BrowseRequest(ViewDescription.Default, 100,
            [new BrowseDescription(new NodeId(0, 85), BrowseDirection.Forward, new NodeId(0, 33), true, NodeClass.Object | NodeClass.Variable, BrowseResultMask.All)]));
        var browsed = new ViewMessages.BrowseResponse(
            [
                new BrowseResult(StatusCodes.Good, [9, 9], [new ReferenceDescription(new NodeId(0, 47), true, new ExpandedNodeId(new NodeId(2, "Tag"), "urn:ns", 1),
                    new QualifiedName(2, "Tag"), new LocalizedText(null, "Tag"), NodeClass.Variable, new ExpandedNodeId(new NodeId(0, 63), null, 0))]),
                new BrowseResult(StatusCodes.BadNodeIdUnknown, null, []),
            ],
            [DiagnosticInfoCodec.Empty, new DiagnosticInfo { AdditionalInfo = "why" }]);
        RoundTrip(ViewMessages.BrowseResponseCodec, browsed);
        RoundTrip(ViewMessages.BrowseNextRequestCodec, new ViewMessages.BrowseNextRequest(true, [[9, 9], null]));
        RoundTrip(ViewMessages.BrowseNextResponseCodec, browsed);
        RoundTrip(ViewMessages.RegisterNodesRequestCodec, [new NodeId(2, "a"), new NodeId(3, Guid.NewGuid())]);
        RoundTrip(ViewMessages.RegisterNodesResponseCodec, [new NodeId(2, 1u), new NodeId(3, new byte[] { 1 })]);
        RoundTrip(ViewMessages.UnregisterNodesRequestCodec, [new NodeId(2, 1u)]);
        RoundTrip(ViewMessages.UnregisterNodesResponseCodec, default);
    }

    [Fact]
    public void SubscriptionMessagesRoundTrip()
    {
        RoundTrip(SubscriptionMessages.CreateRequestCodec, new SubscriptionMessages.CreateSubscriptionRequest(500, 30, 10, 0, true, 1));
        RoundTrip(SubscriptionMessages.CreateResponseCodec, new SubscriptionMessages.CreateSubscriptionResponse(5, new SubscriptionMessages.RevisedSubscription(500, 30, 10)));
        RoundTrip(SubscriptionMessages.ModifyRequestCodec, new SubscriptionMessages.ModifySubscriptionRequest(5, 1000, 60, 20, 100, 2));
        RoundTrip(SubscriptionMessages.ModifyResponseCodec, new SubscriptionMessages.RevisedSubscription(1000, 60, 20));
        RoundTrip(SubscriptionMessages.SetPublishingModeRequestCodec, new SubscriptionMessages.SetPublishingModeRequest(false, [5, 6]));
        RoundTrip(SubscriptionMessages.SetPublishingModeResponseCodec, new StatusResults([StatusCodes.Good, StatusCodes.BadSubscriptionIdInvalid], []));
        RoundTrip(SubscriptionMessages.TransferRequestCodec, new SubscriptionMessages.TransferSubscriptionsRequest([5], true));
        RoundTrip(SubscriptionMessages.TransferResponseCodec, new SubscriptionMessages.TransferSubscriptionsResponse([new TransferResult(StatusCodes.Good, [11, 12])], []));
        RoundTrip(SubscriptionMessages.DeleteRequestCodec, [5, 6]);
        RoundTrip(SubscriptionMessages.DeleteResponseCodec, new StatusResults([StatusCodes.Good], [DiagnosticInfoCodec.Empty]));
    }

    [Fact]
    public void MonitoredItemMessagesRoundTrip()
    {
        RoundTrip(MonitoredItemMessages.CreateRequestCodec, new MonitoredItemMessages.CreateMonitoredItemsRequest(5, TimestampsToReturn.Source,
        [
            new MonitoredItemCreateRequest(ReadValueId.Value(new NodeId(2, "Speed")), MonitoringMode.Reporting, Parameters),
            new MonitoredItemCreateRequest(new ReadValueId(new NodeId(2, 7u), 13, "0:3", new QualifiedName(0, "Default Binary")), MonitoringMode.Sampling,
                new MonitoringParameters(10, -1, ExtensionObject.Null, 1, false)),
        ]));
        RoundTrip(MonitoredItemMessages.CreateResponseCodec, new MonitoredItemMessages.CreateMonitoredItemsResponse(
            [new MonitoredItemCreateResult(StatusCodes.Good, 100, 250, 10, ExtensionObject.Null), new MonitoredItemCreateResult(StatusCodes.BadNodeIdUnknown, 0, 0, 0, ExtensionObject.Null)], []));
        RoundTrip(MonitoredItemMessages.ModifyRequestCodec, new MonitoredItemMessages.ModifyMonitoredItemsRequest(5, TimestampsToReturn.Both, [new MonitoredItemModifyRequest(100, Parameters)]));
        RoundTrip(MonitoredItemMessages.ModifyResponseCodec, new MonitoredItemMessages.ModifyMonitoredItemsResponse([new MonitoredItemModifyResult(StatusCodes.Good, 500, 5, ExtensionObject.Null)], []));
        RoundTrip(MonitoredItemMessages.DeleteRequestCodec, new MonitoredItemMessages.DeleteMonitoredItemsRequest(5, [100, 101]));
        RoundTrip(MonitoredItemMessages.DeleteResponseCodec, new StatusResults([StatusCodes.Good, StatusCodes.BadMonitoredItemIdInvalid], []));
    }

    [Fact]
    public void PublishMessagesRoundTripWithEveryNotificationKind()
    {
        RoundTrip(PublishMessages.PublishRequestCodec, [new SubscriptionAcknowledgement(5, 11), new SubscriptionAcknowledgement(5, 12)]);
        var response = RoundTrip(PublishMessages.PublishResponseCodec, new PublishMessages.PublishResponse(5, [12], true, Notifications, [StatusCodes.Good], []));
        Assert.IsType<DataChangeNotification>(response.NotificationMessage.NotificationData[0].Structure);
        Assert.IsType<EventNotificationList>(response.NotificationMessage.NotificationData[1].Structure);
        Assert.IsType<StatusChangeNotification>(response.NotificationMessage.NotificationData[2].Structure);
        RoundTrip(PublishMessages.RepublishRequestCodec, new PublishMessages.RepublishRequest(5, 11));
        RoundTrip(PublishMessages.RepublishResponseCodec, Notifications);
        var keepAlive = RoundTrip(PublishMessages.PublishResponseCodec, new PublishMessages.PublishResponse(5, [], false, new NotificationMessage(13, At, []), [], []));
        Assert.True(keepAlive.NotificationMessage.IsKeepAlive);
    }

    [Fact]
    public void ServiceFaultInPlaceOfAResponseIsATypedErrorNamingTheCode()
    {
        var writer = new UaWriter();
        ServiceFaultMessage.Encode(writer, 42, StatusCodes.BadTooManyPublishRequests, At);
        var ex = Assert.Throws<OpcUaProtocolException>(() => PublishMessages.PublishResponseCodec.Decode(writer.Written));
        Assert.Equal(ProtocolErrorReason.PeerRejected, ex.Reason);
        Assert.Equal(StatusCodes.BadTooManyPublishRequests, ex.StatusCode);
        Assert.Contains("BadTooManyPublishRequests (0x80780000)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResponseOfAnotherServiceIsMalformed()
    {
        var writer = new UaWriter();
        SubscriptionMessages.ModifyResponseCodec.Encode(writer, 1, new SubscriptionMessages.RevisedSubscription(1, 3, 1), At);
        var ex = Assert.Throws<OpcUaProtocolException>(() => SubscriptionMessages.CreateResponseCodec.Decode(writer.Written));
        Assert.Equal(ProtocolErrorReason.MalformedFrame, ex.Reason);
    }

    private static T RoundTrip<T>(RequestMessage<T> codec, T request)
    {
        var writer = new UaWriter();
        codec.Encode(writer, Context, request);
        var (header, decoded) = codec.Decode(writer.Written);
        Assert.Equal((Context.AuthenticationToken, Context.RequestHandle, 5000u), (header.AuthenticationToken, header.RequestHandle, header.TimeoutHintMs));
        Assert.Equal(Fields(codec.EncodeFields, request), Fields(codec.EncodeFields, decoded));
        return decoded;
    }

    private static T RoundTrip<T>(ResponseMessage<T> codec, T response)
    {
        var writer = new UaWriter();
        codec.Encode(writer, 42, response, At);
        var bytes = writer.Written.ToArray();
        var decoded = codec.Decode(bytes);
        writer.Reset();
        codec.Encode(writer, 42, decoded, At);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(writer.Written));
        return decoded;
    }

    private static string Fields<T>(Action<UaWriter, T> encode, T value)
    {
        var writer = new UaWriter();
        encode(writer, value);
        return Convert.ToHexString(writer.Written);
    }
}
