using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>
/// Random and mutated bytes into every value and service decoder: a result or <see cref="OpcUaProtocolException"/>,
/// never another exception, and never an allocation out of proportion to the input (counts are checked before
/// anything is allocated for them).
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Iterations = 3000;

    private static readonly DateTime At = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    public static TheoryData<string> DecoderNames => [.. Decoders().Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(DecoderNames))]
    public void RandomBytesOnlyThrowTheTypedException(string name)
    {
        var (_, decode, valid) = Decoders().Single(d => d.Name == name);
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        for (var i = 0; i < Iterations; i++)
        {
            var input = new byte[random.Next(0, 200)];
            random.NextBytes(input);

            // Half the time keep the valid prefix (type id, header) so the fields behind it are reached too.
            if (i % 2 == 0)
            {
                valid.AsSpan(0, Math.Min(Math.Min(valid.Length, input.Length), random.Next(0, 40))).CopyTo(input);
            }

            AssertTypedOrResult(name, decode, input);
        }
    }

    [Theory]
    [MemberData(nameof(DecoderNames))]
    public void MutatedValidInputOnlyThrowsTheTypedException(string name)
    {
        var (_, decode, valid) = Decoders().Single(d => d.Name == name);
        decode(valid);
        var random = new Random(~name.GetHashCode(StringComparison.Ordinal));
        for (var i = 0; i < Iterations; i++)
        {
            var mutated = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                var at = random.Next(mutated.Length);
                mutated[at] = random.Next(3) switch
                {
                    0 => 0xFF,
                    1 => 0x7F,
                    _ => (byte)random.Next(256),
                };
            }

            var input = random.Next(4) == 0 ? mutated[..random.Next(mutated.Length)] : mutated;
            AssertTypedOrResult(name, decode, input);
        }
    }

    private static void AssertTypedOrResult(string name, Action<byte[]> decode, byte[] input)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            decode(input);
        }
        catch (OpcUaProtocolException)
        {
        }
        catch (Exception ex)
        {
            Assert.Fail($"{name} threw {ex.GetType().Name} for {Convert.ToHexString(input)}: {ex}");
        }

        // Generous bound: objects per decoded element, never a count taken at face value.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 65536 + (input.Length * 512L), $"{name} allocated {allocated} bytes for {input.Length} input bytes");
    }

    private static IEnumerable<(string Name, Action<byte[]> Decode, byte[] Valid)> Decoders()
    {
        var variantSample = VariantSamples.Build(BuiltInType.Variant, VariantSamples.Array1D, 5);
        yield return ("Variant", b => Read(b, VariantCodec.Read), BuiltInTypeCodecTests.Encode(variantSample));
        yield return ("Matrix", b => Read(b, VariantCodec.Read), BuiltInTypeCodecTests.Encode(VariantSamples.Build(BuiltInType.Double, VariantSamples.Matrix, 1)));
        yield return ("DataValue", b => Read(b, VariantCodec.ReadDataValue), Encode(w => VariantCodec.WriteDataValue(w, new DataValue(variantSample, 1, At, At))));
        yield return ("DiagnosticInfo", b => Read(b, DiagnosticInfoCodec.Read),
            Encode(w => DiagnosticInfoCodec.Write(w, new DiagnosticInfo { SymbolicId = 1, AdditionalInfo = "x", Inner = new DiagnosticInfo { Locale = 2 } })));
        yield return ("ExtensionObject", b => Read(b, StructureCodec.ReadExtensionObject), Encode(w => StructureCodec.WriteExtensionObject(w,
            ExtensionObject.FromStructure(ServerStatusDataType.BinaryEncodingId, new ServerStatusDataType(At, At, ServerState.Running,
                new BuildInfo("urn:p", "m", "n", "1", "2", At), 0, new LocalizedText(null, "up"))))));

        foreach (var (name, decode, valid) in ServiceDecoders())
        {
            yield return (name, decode, valid);
        }
    }

    private static IEnumerable<(string Name, Action<byte[]> Decode, byte[] Valid)> ServiceDecoders()
    {
        var context = new RequestContext(new NodeId(0, 5), 1, TimeSpan.FromSeconds(1));
        var parameters = new MonitoringParameters(1, 100,
            ExtensionObject.FromStructure(DataChangeFilter.BinaryEncodingId, new DataChangeFilter(DataChangeTrigger.StatusValue, DeadbandType.Absolute, 1)), 2, true);
        var notifications = new NotificationMessage(3, At,
        [
            ExtensionObject.FromStructure(DataChangeNotification.BinaryEncodingId, new DataChangeNotification(
                [new MonitoredItemNotification(1, DataValue.Of(Variant.FromDouble(2)))], [])),
            ExtensionObject.FromStructure(EventNotificationList.BinaryEncodingId, new EventNotificationList([new EventFieldList(2, [Variant.FromString("e")])])),
            ExtensionObject.FromStructure(StatusChangeNotification.BinaryEncodingId, new StatusChangeNotification(StatusCodes.BadTimeout, DiagnosticInfoCodec.Empty)),
        ]);
        var application = new ApplicationDescription("urn:s", "urn:p", new LocalizedText(null, "S"), ApplicationType.Server, null, null, ["opc.tcp://h:1"]);
        var browse = new ViewMessages.BrowseResponse([new BrowseResult(0, [1], [new ReferenceDescription(new NodeId(0, 35), true,
            new ExpandedNodeId(new NodeId(1, "a"), "urn:x", 2), new QualifiedName(1, "a"), new LocalizedText(null, "a"), NodeClass.Variable,
            new ExpandedNodeId(new NodeId(0, 63), null, 0))])], []);

        var signature = new SessionServiceMessages.SignatureData("alg", [1]);
        yield return Request(SessionServiceMessages.CreateRequestCodec, context, new SessionServiceMessages.CreateSessionRequest(
            application, null, "opc.tcp://h:1", "s", [1, 2], null, 1000, 0));
        yield return Response(SessionServiceMessages.CreateResponseCodec, new SessionServiceMessages.CreateSessionResponse(
            new NodeId(1, 1u), new NodeId(1, 2u), 1000, [1], null, [], [signature], signature, 0));
        yield return Request(SessionServiceMessages.ActivateRequestCodec, context, new SessionServiceMessages.ActivateSessionRequest(
            signature, [], [], ExtensionObject.Null, signature));
        yield return Response(SessionServiceMessages.ActivateResponseCodec, new SessionServiceMessages.ActivateSessionResponse([1], [0], []));
        yield return Request(SessionServiceMessages.CloseRequestCodec, context, true);
        yield return Response(SessionServiceMessages.CloseResponseCodec, default);
        yield return Request(DiscoveryMessages.GetEndpointsRequestCodec, context, new DiscoveryMessages.GetEndpointsRequest("opc.tcp://h:1", ["en"], ["p"]));
        yield return Response(DiscoveryMessages.GetEndpointsResponseCodec, [new EndpointDescription("opc.tcp://h:1", application, [1], MessageSecurityMode.None,
            "none", [new UserTokenPolicy("a", UserTokenType.Anonymous, null, null, null)], "tcp", 1)]);
        yield return Request(DiscoveryMessages.FindServersRequestCodec, context, new DiscoveryMessages.FindServersRequest("opc.tcp://h:1", [], []));
        yield return Response(DiscoveryMessages.FindServersResponseCodec, [application]);
        yield return Request(ViewMessages.BrowseRequestCodec, context, new ViewMessages.BrowseRequest(ViewDescription.Default, 10,
            [new BrowseDescription(new NodeId(0, 85), BrowseDirection.Both, new NodeId(0, 33), true, NodeClass.Unspecified, BrowseResultMask.All)]));
        yield return Response(ViewMessages.BrowseResponseCodec, browse);
        yield return Request(ViewMessages.BrowseNextRequestCodec, context, new ViewMessages.BrowseNextRequest(false, [[1, 2]]));
        yield return Response(ViewMessages.BrowseNextResponseCodec, browse);
        yield return Request(ViewMessages.RegisterNodesRequestCodec, context, [new NodeId(1, "x")]);
        yield return Response(ViewMessages.RegisterNodesResponseCodec, [new NodeId(1, 2u)]);
        yield return Request(ViewMessages.UnregisterNodesRequestCodec, context, [new NodeId(1, 2u)]);
        yield return Response(ViewMessages.UnregisterNodesResponseCodec, default);
        yield return Request(SubscriptionMessages.CreateRequestCodec, context, new SubscriptionMessages.CreateSubscriptionRequest(100, 30, 10, 0, true, 0));
        yield return Response(SubscriptionMessages.CreateResponseCodec, new SubscriptionMessages.CreateSubscriptionResponse(1, new SubscriptionMessages.RevisedSubscription(100, 30, 10)));
        yield return Request(SubscriptionMessages.ModifyRequestCodec, context, new SubscriptionMessages.ModifySubscriptionRequest(1, 100, 30, 10, 0, 0));
        yield return Response(SubscriptionMessages.ModifyResponseCodec, new SubscriptionMessages.RevisedSubscription(100, 30, 10));
        yield return Request(SubscriptionMessages.SetPublishingModeRequestCodec, context, new SubscriptionMessages.SetPublishingModeRequest(true, [1]));
        yield return Response(SubscriptionMessages.SetPublishingModeResponseCodec, new StatusResults([0], []));
        yield return Request(SubscriptionMessages.TransferRequestCodec, context, new SubscriptionMessages.TransferSubscriptionsRequest([1], true));
        yield return Response(SubscriptionMessages.TransferResponseCodec, new SubscriptionMessages.TransferSubscriptionsResponse([new TransferResult(0, [1, 2])], []));
        yield return Request(SubscriptionMessages.DeleteRequestCodec, context, [1]);
        yield return Response(SubscriptionMessages.DeleteResponseCodec, new StatusResults([0], []));
        yield return Request(MonitoredItemMessages.CreateRequestCodec, context, new MonitoredItemMessages.CreateMonitoredItemsRequest(1, TimestampsToReturn.Both,
            [new MonitoredItemCreateRequest(ReadValueId.Value(new NodeId(1, "x")), MonitoringMode.Reporting, parameters)]));
        yield return Response(MonitoredItemMessages.CreateResponseCodec, new MonitoredItemMessages.CreateMonitoredItemsResponse(
            [new MonitoredItemCreateResult(0, 1, 100, 2, ExtensionObject.Null)], []));
        yield return Request(MonitoredItemMessages.ModifyRequestCodec, context, new MonitoredItemMessages.ModifyMonitoredItemsRequest(1, TimestampsToReturn.Both,
            [new MonitoredItemModifyRequest(1, parameters)]));
        yield return Response(MonitoredItemMessages.ModifyResponseCodec, new MonitoredItemMessages.ModifyMonitoredItemsResponse(
            [new MonitoredItemModifyResult(0, 100, 2, ExtensionObject.Null)], []));
        yield return Request(MonitoredItemMessages.DeleteRequestCodec, context, new MonitoredItemMessages.DeleteMonitoredItemsRequest(1, [1]));
        yield return Response(MonitoredItemMessages.DeleteResponseCodec, new StatusResults([0], []));
        yield return Request(PublishMessages.PublishRequestCodec, context, [new SubscriptionAcknowledgement(1, 2)]);
        yield return Response(PublishMessages.PublishResponseCodec, new PublishMessages.PublishResponse(1, [3], false, notifications, [0], []));
        yield return Request(PublishMessages.RepublishRequestCodec, context, new PublishMessages.RepublishRequest(1, 3));
        yield return Response(PublishMessages.RepublishResponseCodec, notifications);
    }

    private static (string, Action<byte[]>, byte[]) Request<T>(RequestMessage<T> codec, RequestContext context, T value) =>
        (codec.Service + "Request", b => codec.Decode(b), Encode(w => codec.Encode(w, context, value)));

    private static (string, Action<byte[]>, byte[]) Response<T>(ResponseMessage<T> codec, T value) =>
        (codec.Service + "Response", b => codec.Decode(b), Encode(w => codec.Encode(w, 1, value, At)));

    private static void Read<T>(byte[] bytes, UaDecoder<T> decode)
    {
        var reader = new UaReader(bytes);
        decode(ref reader);
    }

    private static byte[] Encode(Action<UaWriter> write)
    {
        var writer = new UaWriter();
        write(writer);
        return writer.Written.ToArray();
    }
}
