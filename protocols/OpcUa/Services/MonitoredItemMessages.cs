using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>CreateMonitoredItems, ModifyMonitoredItems and DeleteMonitoredItems (Part 4 §5.12.2, §5.12.3, §5.12.6).</summary>
internal static class MonitoredItemMessages
{
    public static readonly RequestMessage<CreateMonitoredItemsRequest> CreateRequestCodec = new(
        ServiceIds.CreateMonitoredItemsRequest,
        "CreateMonitoredItems",
        static (w, r) =>
        {
            w.WriteUInt32(r.SubscriptionId);
            w.WriteUInt32((uint)r.TimestampsToReturn);
            ArrayCodec.Write(w, r.Items, SubscriptionStructureCodec.WriteCreateItem);
        },
        static (ref UaReader r) => new CreateMonitoredItemsRequest(
            r.ReadUInt32(), (TimestampsToReturn)r.ReadUInt32(), ArrayCodec.Read(ref r, SubscriptionStructureCodec.ReadCreateItem, 40)));

    public static readonly ResponseMessage<CreateMonitoredItemsResponse> CreateResponseCodec = new(
        ServiceIds.CreateMonitoredItemsResponse,
        "CreateMonitoredItems",
        static (w, r) =>
        {
            ArrayCodec.Write(w, r.Results, SubscriptionStructureCodec.WriteCreateResult);
            DiagnosticInfoCodec.WriteArray(w, r.DiagnosticInfos);
        },
        static (ref UaReader r) => new CreateMonitoredItemsResponse(
            ArrayCodec.Read(ref r, SubscriptionStructureCodec.ReadCreateResult, 23), DiagnosticInfoCodec.ReadArray(ref r)));

    public static readonly RequestMessage<ModifyMonitoredItemsRequest> ModifyRequestCodec = new(
        ServiceIds.ModifyMonitoredItemsRequest,
        "ModifyMonitoredItems",
        static (w, r) =>
        {
            w.WriteUInt32(r.SubscriptionId);
            w.WriteUInt32((uint)r.TimestampsToReturn);
            ArrayCodec.Write(w, r.Items, SubscriptionStructureCodec.WriteModifyItem);
        },
        static (ref UaReader r) => new ModifyMonitoredItemsRequest(
            r.ReadUInt32(), (TimestampsToReturn)r.ReadUInt32(), ArrayCodec.Read(ref r, SubscriptionStructureCodec.ReadModifyItem, 24)));

    public static readonly ResponseMessage<ModifyMonitoredItemsResponse> ModifyResponseCodec = new(
        ServiceIds.ModifyMonitoredItemsResponse,
        "ModifyMonitoredItems",
        static (w, r) =>
        {
            ArrayCodec.Write(w, r.Results, SubscriptionStructureCodec.WriteModifyResult);
            DiagnosticInfoCodec.WriteArray(w, r.DiagnosticInfos);
        },
        static (ref UaReader r) => new ModifyMonitoredItemsResponse(
            ArrayCodec.Read(ref r, SubscriptionStructureCodec.ReadModifyResult, 19), DiagnosticInfoCodec.ReadArray(ref r)));

    public static readonly RequestMessage<DeleteMonitoredItemsRequest> DeleteRequestCodec = new(
        ServiceIds.DeleteMonitoredItemsRequest,
        "DeleteMonitoredItems",
        static (w, r) =>
        {
            w.WriteUInt32(r.SubscriptionId);
            ArrayCodec.WriteUInt32s(w, r.MonitoredItemIds);
        },
        static (ref UaReader r) => new DeleteMonitoredItemsRequest(r.ReadUInt32(), ArrayCodec.ReadUInt32s(ref r)));

    public static readonly ResponseMessage<StatusResults> DeleteResponseCodec = new(
        ServiceIds.DeleteMonitoredItemsResponse, "DeleteMonitoredItems", StatusResults.Write, StatusResults.Read);

    public sealed record CreateMonitoredItemsRequest(uint SubscriptionId, TimestampsToReturn TimestampsToReturn, MonitoredItemCreateRequest[] Items);

    public sealed record CreateMonitoredItemsResponse(MonitoredItemCreateResult[] Results, DiagnosticInfo[] DiagnosticInfos);

    public sealed record ModifyMonitoredItemsRequest(uint SubscriptionId, TimestampsToReturn TimestampsToReturn, MonitoredItemModifyRequest[] Items);

    public sealed record ModifyMonitoredItemsResponse(MonitoredItemModifyResult[] Results, DiagnosticInfo[] DiagnosticInfos);

    public sealed record DeleteMonitoredItemsRequest(uint SubscriptionId, uint[] MonitoredItemIds);
}
