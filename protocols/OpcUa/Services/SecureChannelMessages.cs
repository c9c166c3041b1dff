using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>The token an OpenSecureChannel response grants (Part 4 §5.5.2.2).</summary>
internal readonly record struct ChannelToken(uint ChannelId, uint TokenId, TimeSpan Lifetime);

/// <summary>OpenSecureChannel and CloseSecureChannel bodies for SecurityPolicy None (Part 6 §6.7.4).</summary>
internal static class SecureChannelMessages
{
    public const string NonePolicyUri = "http://opcfoundation.org/UA/SecurityPolicy#None";
    private const uint MessageSecurityModeNone = 1;

    public static void WriteOpenRequest(UaWriter writer, bool renew, uint requestHandle, TimeSpan requestedLifetime, TimeSpan timeout) =>
        WriteOpenRequest(writer, renew, requestHandle, requestedLifetime, timeout, MessageSecurityModeNone, null);

    /// <summary>An OPN request with the channel's security mode and the client nonce its keys derive from (issue 14).</summary>
    public static void WriteOpenRequest(
        UaWriter writer, bool renew, uint requestHandle, TimeSpan requestedLifetime, TimeSpan timeout, uint securityMode, byte[]? clientNonce)
    {
        RequestHeader.Write(writer, ServiceIds.OpenSecureChannelRequest, NodeId.Null, requestHandle, timeout);
        writer.WriteUInt32(0);
        writer.WriteUInt32(renew ? 1u : 0u);
        writer.WriteUInt32(securityMode);
        writer.WriteNullableByteString(clientNonce);
        writer.WriteUInt32((uint)requestedLifetime.TotalMilliseconds);
    }

    public static ChannelToken ReadOpenResponse(ReadOnlySpan<byte> body) => ReadOpenResponse(body, out _);

    /// <summary>The granted token and the server nonce the channel's keys derive from (issue 14).</summary>
    public static ChannelToken ReadOpenResponse(ReadOnlySpan<byte> body, out byte[]? serverNonce)
    {
        var reader = new UaReader(body);
        ResponseHeader.Read(ref reader, ServiceIds.OpenSecureChannelResponse, "OpenSecureChannel");
        reader.ReadUInt32();
        var channelId = reader.ReadUInt32();
        var tokenId = reader.ReadUInt32();
        reader.ReadDateTime();
        var lifetime = reader.ReadUInt32();
        serverNonce = reader.ReadByteString();
        return new ChannelToken(channelId, tokenId, TimeSpan.FromMilliseconds(lifetime));
    }

    public static void WriteCloseRequest(UaWriter writer, uint requestHandle) =>
        RequestHeader.Write(writer, ServiceIds.CloseSecureChannelRequest, NodeId.Null, requestHandle, TimeSpan.Zero);

    /// <summary>The asymmetric security header of an OPN chunk under policy None: the URI and two null certificates.</summary>
    public static void WriteAsymmetricHeader(UaWriter writer)
    {
        writer.WriteString(NonePolicyUri);
        writer.WriteNullByteString();
        writer.WriteNullByteString();
    }

    /// <summary>Skips an OPN chunk's asymmetric security header, refusing any policy but None.</summary>
    public static void ReadAsymmetricHeader(ref UaReader reader)
    {
        var policy = reader.ReadString();
        if (!string.Equals(policy, NonePolicyUri, StringComparison.Ordinal))
        {
            throw OpcUaProtocolException.Malformed($"OPN response uses security policy '{policy}', expected None");
        }

        reader.SkipByteString();
        reader.SkipByteString();
    }
}
