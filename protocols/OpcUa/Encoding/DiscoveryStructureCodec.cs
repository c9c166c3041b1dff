using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Encoding;

/// <summary>Structures of the Discovery services (Part 4 §7.1, §7.14, §7.42; Opc.Ua.Types.bsd field order).</summary>
internal static class DiscoveryStructureCodec
{
    public static ApplicationDescription ReadApplication(ref UaReader reader) => new(
        reader.ReadString(),
        reader.ReadString(),
        StructureCodec.ReadLocalizedText(ref reader),
        (ApplicationType)reader.ReadUInt32(),
        reader.ReadString(),
        reader.ReadString(),
        ArrayCodec.ReadStrings(ref reader));

    public static void WriteApplication(UaWriter writer, ApplicationDescription value)
    {
        writer.WriteString(value.ApplicationUri);
        writer.WriteString(value.ProductUri);
        StructureCodec.WriteLocalizedText(writer, value.ApplicationName);
        writer.WriteUInt32((uint)value.ApplicationType);
        writer.WriteString(value.GatewayServerUri);
        writer.WriteString(value.DiscoveryProfileUri);
        ArrayCodec.WriteStrings(writer, value.DiscoveryUrls);
    }

    public static UserTokenPolicy ReadTokenPolicy(ref UaReader reader) => new(
        reader.ReadString(), (UserTokenType)reader.ReadUInt32(), reader.ReadString(), reader.ReadString(), reader.ReadString());

    public static void WriteTokenPolicy(UaWriter writer, UserTokenPolicy value)
    {
        writer.WriteString(value.PolicyId);
        writer.WriteUInt32((uint)value.TokenType);
        writer.WriteString(value.IssuedTokenType);
        writer.WriteString(value.IssuerEndpointUrl);
        writer.WriteString(value.SecurityPolicyUri);
    }

    public static EndpointDescription ReadEndpoint(ref UaReader reader) => new(
        reader.ReadString(),
        ReadApplication(ref reader),
        reader.ReadByteString(),
        (MessageSecurityMode)reader.ReadUInt32(),
        reader.ReadString(),
        ArrayCodec.Read(ref reader, ReadTokenPolicy, 20),
        reader.ReadString(),
        reader.ReadByte());

    public static void WriteEndpoint(UaWriter writer, EndpointDescription value)
    {
        writer.WriteString(value.EndpointUrl);
        WriteApplication(writer, value.Server);
        writer.WriteNullableByteString(value.ServerCertificate);

        writer.WriteUInt32((uint)value.SecurityMode);
        writer.WriteString(value.SecurityPolicyUri);
        ArrayCodec.Write(writer, value.UserIdentityTokens, WriteTokenPolicy);
        writer.WriteString(value.TransportProfileUri);
        writer.WriteByte(value.SecurityLevel);
    }
}
