using System.Collections.Frozen;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>
/// The structures decoded from an ExtensionObject's binary body, by binary encoding id (namespace 0, Part 6 Annex A /
/// NodeIds.csv), and encoded back by their .NET type. Anything else stays a raw body.
/// </summary>
internal static class KnownStructures
{
    private static readonly Entry[] All =
    [
        Of<ServerStatusDataType>(ServerStatusDataType.BinaryEncodingId, StandardStructureCodec.ReadServerStatus, StandardStructureCodec.WriteServerStatus),
        Of<BuildInfo>(BuildInfo.BinaryEncodingId, StandardStructureCodec.ReadBuildInfo, StandardStructureCodec.WriteBuildInfo),
        Of<ValueRange>(ValueRange.BinaryEncodingId, StandardStructureCodec.ReadRange, StandardStructureCodec.WriteRange),
        Of<EUInformation>(EUInformation.BinaryEncodingId, StandardStructureCodec.ReadEUInformation, StandardStructureCodec.WriteEUInformation),
        Of<Argument>(Argument.BinaryEncodingId, StandardStructureCodec.ReadArgument, StandardStructureCodec.WriteArgument),
        Of<DataChangeFilter>(DataChangeFilter.BinaryEncodingId, SubscriptionStructureCodec.ReadDataChangeFilter, SubscriptionStructureCodec.WriteDataChangeFilter),
        Of<DataChangeNotification>(DataChangeNotification.BinaryEncodingId, SubscriptionStructureCodec.ReadDataChange, SubscriptionStructureCodec.WriteDataChange),
        Of<EventNotificationList>(EventNotificationList.BinaryEncodingId, SubscriptionStructureCodec.ReadEvents, SubscriptionStructureCodec.WriteEvents),
        Of<StatusChangeNotification>(StatusChangeNotification.BinaryEncodingId, SubscriptionStructureCodec.ReadStatusChange, SubscriptionStructureCodec.WriteStatusChange),
    ];

    private static readonly FrozenDictionary<uint, Entry> ById = All.ToFrozenDictionary(e => e.EncodingId);
    private static readonly FrozenDictionary<Type, Entry> ByType = All.ToFrozenDictionary(e => e.Type);

    private delegate object ObjectDecoder(ref UaReader reader);

    /// <summary>Decodes <paramref name="body"/> when <paramref name="typeId"/> is a known binary encoding id; null otherwise.</summary>
    public static object? TryDecode(NodeId typeId, ref UaReader body)
    {
        if (typeId.NamespaceIndex != 0 || typeId.Type != NodeIdType.Numeric || !ById.TryGetValue(typeId.Numeric, out var entry))
        {
            return null;
        }

        body.Enter("ExtensionObject");
        var structure = entry.Decode(ref body);
        body.Leave();
        return structure;
    }

    /// <summary>Encodes a known structure's fields (without the ExtensionObject envelope).</summary>
    public static void Encode(UaWriter writer, object structure)
    {
        if (!ByType.TryGetValue(structure.GetType(), out var entry))
        {
            throw new ArgumentException($"{structure.GetType().Name} is not a structure this library can encode", nameof(structure));
        }

        entry.Encode(writer, structure);
    }

    public static bool IsKnown(uint binaryEncodingId) => ById.ContainsKey(binaryEncodingId);

    private static Entry Of<T>(uint encodingId, UaDecoder<T> read, UaEncoder<T> write)
        where T : class =>
        new(encodingId, typeof(T), (ref UaReader r) => read(ref r), (w, o) => write(w, (T)o));

    private sealed record Entry(uint EncodingId, Type Type, ObjectDecoder Decode, Action<UaWriter, object> Encode);
}
