using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>
/// CreateSubscription, ModifySubscription, SetPublishingMode, TransferSubscriptions and DeleteSubscriptions
/// (Part 4 §5.13.2-4, §5.13.7-8). The server revises interval and counts; the client must use the revised values.
/// </summary>
internal static class SubscriptionMessages
{
    public static readonly RequestMessage<CreateSubscriptionRequest> CreateRequestCodec = new(
        ServiceIds.CreateSubscriptionRequest,
        "CreateSubscription",
        static (w, r) =>
        {
            w.WriteDouble(r.RequestedPublishingInterval);
            w.WriteUInt32(r.RequestedLifetimeCount);
            w.WriteUInt32(r.RequestedMaxKeepAliveCount);
            w.WriteUInt32(r.MaxNotificationsPerPublish);
            w.WriteBoolean(r.PublishingEnabled);
            w.WriteByte(r.Priority);
        },
        static (ref UaReader r) => new CreateSubscriptionRequest(r.ReadDouble(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadBoolean(), r.ReadByte()));

    public static readonly ResponseMessage<CreateSubscriptionResponse> CreateResponseCodec = new(
        ServiceIds.CreateSubscriptionResponse,
        "CreateSubscription",
        static (w, r) =>
        {
            w.WriteUInt32(r.SubscriptionId);
            WriteRevised(w, r.Revised);
        },
        static (ref UaReader r) => new CreateSubscriptionResponse(r.ReadUInt32(), ReadRevised(ref r)));

    public static readonly RequestMessage<ModifySubscriptionRequest> ModifyRequestCodec = new(
        ServiceIds.ModifySubscriptionRequest,
        "ModifySubscription",
        static (w, r) =>
        {
            w.WriteUInt32(r.SubscriptionId);
            w.WriteDouble(r.RequestedPublishingInterval);
            w.WriteUInt32(r.RequestedLifetimeCount);
            w.WriteUInt32(r.RequestedMaxKeepAliveCount);
            w.WriteUInt32(r.MaxNotificationsPerPublish);
            w.WriteByte(r.Priority);
        },
        static (ref UaReader r) => new ModifySubscriptionRequest(r.ReadUInt32(), r.ReadDouble(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadByte()));

    public static readonly ResponseMessage<RevisedSubscription> ModifyResponseCodec = new(
        ServiceIds.ModifySubscriptionResponse, "ModifySubscription", WriteRevised, ReadRevised);

    public static readonly RequestMessage<SetPublishingModeRequest> SetPublishingModeRequestCodec = new(
        ServiceIds.SetPublishingModeRequest,
        "SetPublishingMode",
        static (w, r) =>
        {
            w.WriteBoolean(r.PublishingEnabled);
            ArrayCodec.WriteUInt32s(w, r.SubscriptionIds);
        },
        static (ref UaReader r) => new SetPublishingModeRequest(r.ReadBoolean(), ArrayCodec.ReadUInt32s(ref r)));

    public static readonly ResponseMessage<StatusResults> SetPublishingModeResponseCodec = new(
        ServiceIds.SetPublishingModeResponse, "SetPublishingMode", StatusResults.Write, StatusResults.Read);

    public static readonly RequestMessage<TransferSubscriptionsRequest> TransferRequestCodec = new(
        ServiceIds.TransferSubscriptionsRequest,
        "TransferSubscriptions",
        static (w, r) =>
        {
            ArrayCodec.WriteUInt32s(w, r.SubscriptionIds);
            w.WriteBoolean(r.SendInitialValues);
        },
        static (ref UaReader r) => new TransferSubscriptionsRequest(ArrayCodec.ReadUInt32s(ref r), r.ReadBoolean()));

    public static readonly ResponseMessage<TransferSubscriptionsResponse> TransferResponseCodec = new(
        ServiceIds.TransferSubscriptionsResponse,
        "TransferSubscriptions",
        static (w, r) =>
        {
            ArrayCodec.Write(w, r.Results, SubscriptionStructureCodec.WriteTransferResult);
            DiagnosticInfoCodec.WriteArray(w, r.DiagnosticInfos);
        },
        static (ref UaReader r) => new TransferSubscriptionsResponse(
            ArrayCodec.Read(ref r, SubscriptionStructureCodec.ReadTransferResult, 8), DiagnosticInfoCodec.ReadArray(ref r)));

    public static readonly RequestMessage<uint[]> DeleteRequestCodec = new(
        ServiceIds.DeleteSubscriptionsRequest, "DeleteSubscriptions", ArrayCodec.WriteUInt32s, ArrayCodec.ReadUInt32s);

    public static readonly ResponseMessage<StatusResults> DeleteResponseCodec = new(
        ServiceIds.DeleteSubscriptionsResponse, "DeleteSubscriptions", StatusResults.Write, StatusResults.Read);

    private static void WriteRevised(UaWriter writer, RevisedSubscription value)
    {
        writer.WriteDouble(value.PublishingInterval);
        writer.WriteUInt32(value.LifetimeCount);
        writer.WriteUInt32(value.MaxKeepAliveCount);
    }

    private static RevisedSubscription ReadRevised(ref UaReader reader) => new(reader.ReadDouble(), reader.ReadUInt32(), reader.ReadUInt32());

    /// <summary>Part 4 §5.13.2: the lifetime count shall be at least three times the keep-alive count.</summary>
    public sealed record CreateSubscriptionRequest(
        double RequestedPublishingInterval, uint RequestedLifetimeCount, uint RequestedMaxKeepAliveCount, uint MaxNotificationsPerPublish, bool PublishingEnabled, byte Priority);

    /// <summary>The publishing interval and counts the server actually applies.</summary>
    public sealed record RevisedSubscription(double PublishingInterval, uint LifetimeCount, uint MaxKeepAliveCount);

    public sealed record CreateSubscriptionResponse(uint SubscriptionId, RevisedSubscription Revised);

    public sealed record ModifySubscriptionRequest(
        uint SubscriptionId, double RequestedPublishingInterval, uint RequestedLifetimeCount, uint RequestedMaxKeepAliveCount, uint MaxNotificationsPerPublish, byte Priority);

    public sealed record SetPublishingModeRequest(bool PublishingEnabled, uint[] SubscriptionIds);

    /// <summary>Moves subscriptions to this session; with SendInitialValues every item reports its current value again.</summary>
    public sealed record TransferSubscriptionsRequest(uint[] SubscriptionIds, bool SendInitialValues);

    public sealed record TransferSubscriptionsResponse(TransferResult[] Results, DiagnosticInfo[] DiagnosticInfos);
}
