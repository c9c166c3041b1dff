using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>
/// Structures of the monitored item and subscription services (Part 4 §7.21-7.25, Opc.Ua.Types.bsd field order):
/// filters, item requests and results, notification messages and their notification data.
/// </summary>
internal static class SubscriptionStructureCodec
{
    public static DataChangeFilter ReadDataChangeFilter(ref UaReader reader) =>
        new((DataChangeTrigger)reader.ReadUInt32(), (DeadbandType)reader.ReadUInt32(), reader.ReadDouble());

    public static void WriteDataChangeFilter(UaWriter writer, DataChangeFilter value)
    {
        writer.WriteUInt32((uint)value.Trigger);
        writer.WriteUInt32((uint)value.DeadbandType);
        writer.WriteDouble(value.DeadbandValue);
    }

    public static DataChangeNotification ReadDataChange(ref UaReader reader) => new(
        ArrayCodec.Read(ref reader, static (ref UaReader r) => new MonitoredItemNotification(r.ReadUInt32(), VariantCodec.ReadDataValue(ref r)), 5),
        DiagnosticInfoCodec.ReadArray(ref reader));

    public static void WriteDataChange(UaWriter writer, DataChangeNotification value)
    {
        ArrayCodec.Write(writer, value.MonitoredItems, static (w, item) =>
        {
            w.WriteUInt32(item.ClientHandle);
            VariantCodec.WriteDataValue(w, item.Value);
        });
        DiagnosticInfoCodec.WriteArray(writer, value.DiagnosticInfos);
    }

    public static EventNotificationList ReadEvents(ref UaReader reader) => new(ArrayCodec.Read(
        ref reader,
        static (ref UaReader r) => new EventFieldList(r.ReadUInt32(), ArrayCodec.Read(ref r, VariantCodec.Read, 1)),
        8));

    public static void WriteEvents(UaWriter writer, EventNotificationList value) =>
        ArrayCodec.Write(writer, value.Events, static (w, e) =>
        {
            w.WriteUInt32(e.ClientHandle);
            ArrayCodec.Write(w, e.EventFields, static (w2, v) => VariantCodec.Write(w2, v));
        });

    public static StatusChangeNotification ReadStatusChange(ref UaReader reader) =>
        new(reader.ReadUInt32(), DiagnosticInfoCodec.Read(ref reader));

    public static void WriteStatusChange(UaWriter writer, StatusChangeNotification value)
    {
        writer.WriteUInt32(value.Status);
        DiagnosticInfoCodec.Write(writer, value.DiagnosticInfo);
    }

    public static NotificationMessage ReadNotificationMessage(ref UaReader reader) => new(
        reader.ReadUInt32(), reader.ReadDateTime(), ArrayCodec.Read(ref reader, StructureCodec.ReadExtensionObject, 3));

    public static void WriteNotificationMessage(UaWriter writer, NotificationMessage value)
    {
        writer.WriteUInt32(value.SequenceNumber);
        writer.WriteDateTime(value.PublishTime);
        ArrayCodec.Write(writer, value.NotificationData, StructureCodec.WriteExtensionObject);
    }

    public static ReadValueId ReadReadValueId(ref UaReader reader) => new(
        NodeIdCodec.Read(ref reader), reader.ReadUInt32(), reader.ReadString(), StructureCodec.ReadQualifiedName(ref reader));

    public static void WriteReadValueId(UaWriter writer, ReadValueId value)
    {
        NodeIdCodec.Write(writer, value.NodeId);
        writer.WriteUInt32(value.AttributeId);
        writer.WriteString(value.IndexRange);
        StructureCodec.WriteQualifiedName(writer, value.DataEncoding);
    }

    public static MonitoringParameters ReadMonitoringParameters(ref UaReader reader) => new(
        reader.ReadUInt32(), reader.ReadDouble(), StructureCodec.ReadExtensionObject(ref reader), reader.ReadUInt32(), reader.ReadBoolean());

    public static void WriteMonitoringParameters(UaWriter writer, MonitoringParameters value)
    {
        writer.WriteUInt32(value.ClientHandle);
        writer.WriteDouble(value.SamplingInterval);
        StructureCodec.WriteExtensionObject(writer, value.Filter);
        writer.WriteUInt32(value.QueueSize);
        writer.WriteBoolean(value.DiscardOldest);
    }

    public static MonitoredItemCreateRequest ReadCreateItem(ref UaReader reader) => new(
        ReadReadValueId(ref reader), (MonitoringMode)reader.ReadUInt32(), ReadMonitoringParameters(ref reader));

    public static void WriteCreateItem(UaWriter writer, MonitoredItemCreateRequest value)
    {
        WriteReadValueId(writer, value.ItemToMonitor);
        writer.WriteUInt32((uint)value.MonitoringMode);
        WriteMonitoringParameters(writer, value.RequestedParameters);
    }

    public static MonitoredItemCreateResult ReadCreateResult(ref UaReader reader) => new(
        reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadDouble(), reader.ReadUInt32(), StructureCodec.ReadExtensionObject(ref reader));

    public static void WriteCreateResult(UaWriter writer, MonitoredItemCreateResult value)
    {
        writer.WriteUInt32(value.StatusCode);
        writer.WriteUInt32(value.MonitoredItemId);
        writer.WriteDouble(value.RevisedSamplingInterval);
        writer.WriteUInt32(value.RevisedQueueSize);
        StructureCodec.WriteExtensionObject(writer, value.FilterResult);
    }

    public static MonitoredItemModifyRequest ReadModifyItem(ref UaReader reader) =>
        new(reader.ReadUInt32(), ReadMonitoringParameters(ref reader));

    public static void WriteModifyItem(UaWriter writer, MonitoredItemModifyRequest value)
    {
        writer.WriteUInt32(value.MonitoredItemId);
        WriteMonitoringParameters(writer, value.RequestedParameters);
    }

    public static MonitoredItemModifyResult ReadModifyResult(ref UaReader reader) => new(
        reader.ReadUInt32(), reader.ReadDouble(), reader.ReadUInt32(), StructureCodec.ReadExtensionObject(ref reader));

    public static void WriteModifyResult(UaWriter writer, MonitoredItemModifyResult value)
    {
        writer.WriteUInt32(value.StatusCode);
        writer.WriteDouble(value.RevisedSamplingInterval);
        writer.WriteUInt32(value.RevisedQueueSize);
        StructureCodec.WriteExtensionObject(writer, value.FilterResult);
    }

    public static SubscriptionAcknowledgement ReadAcknowledgement(ref UaReader reader) => new(reader.ReadUInt32(), reader.ReadUInt32());

    public static void WriteAcknowledgement(UaWriter writer, SubscriptionAcknowledgement value)
    {
        writer.WriteUInt32(value.SubscriptionId);
        writer.WriteUInt32(value.SequenceNumber);
    }

    public static TransferResult ReadTransferResult(ref UaReader reader) => new(reader.ReadUInt32(), ArrayCodec.ReadUInt32s(ref reader));

    public static void WriteTransferResult(UaWriter writer, TransferResult value)
    {
        writer.WriteUInt32(value.StatusCode);
        ArrayCodec.WriteUInt32s(writer, value.AvailableSequenceNumbers);
    }
}
