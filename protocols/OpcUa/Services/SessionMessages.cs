using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>What CreateSession returns that the client keeps (Part 4 §5.6.2).</summary>
internal sealed record CreatedSession(NodeId SessionId, NodeId AuthenticationToken, double RevisedTimeoutMs, string? AnonymousPolicyId);

/// <summary>CreateSession, ActivateSession (anonymous) and CloseSession bodies (Part 4 §5.6).</summary>
internal static class SessionMessages
{
    private const uint ApplicationTypeClient = 1;
    private const uint UserTokenAnonymous = 0;
    private const uint SecurityModeNone = 1;

    public readonly record struct CreateRequest(string EndpointUrl, string SessionName, string ApplicationUri, double TimeoutMs, uint MaxResponseSize, TimeSpan Timeout);

    public static void WriteCreate(UaWriter writer, uint handle, CreateRequest request)
    {
        RequestHeader.Write(writer, ServiceIds.CreateSessionRequest, NodeId.Null, handle, request.Timeout);
        writer.WriteString(request.ApplicationUri);
        writer.WriteString("urn:edgepartition");
        StructureCodec.WriteLocalizedText(writer, new LocalizedText(null, "EdgePartition collector"));
        writer.WriteUInt32(ApplicationTypeClient);
        writer.WriteString(null);
        writer.WriteString(null);
        writer.WriteInt32(-1);
        writer.WriteString(null);
        writer.WriteString(request.EndpointUrl);
        writer.WriteString(request.SessionName);

        // Part 4 §5.6.2: the client nonce must be at least 32 bytes even when the channel is not secured.
        Span<byte> nonce = stackalloc byte[32];
        System.Security.Cryptography.RandomNumberGenerator.Fill(nonce);
        writer.WriteByteString(nonce);
        writer.WriteNullByteString();
        writer.WriteDouble(request.TimeoutMs);
        writer.WriteUInt32(request.MaxResponseSize);
    }

    public static CreatedSession ReadCreate(ReadOnlySpan<byte> body)
    {
        var reader = new UaReader(body);
        ResponseHeader.Read(ref reader, ServiceIds.CreateSessionResponse, "CreateSession");
        var sessionId = NodeIdCodec.Read(ref reader);
        var token = NodeIdCodec.Read(ref reader);
        var timeout = reader.ReadDouble();
        reader.SkipByteString();
        reader.SkipByteString();
        string? anonymousPolicy = null;
        var endpoints = reader.ReadLength();
        for (var i = 0; i < endpoints; i++)
        {
            var policy = ReadEndpointAnonymousPolicy(ref reader);
            anonymousPolicy ??= policy;
        }

        // The session is usable without the rest (software certificates, signature, max request size).
        return new CreatedSession(sessionId, token, timeout, anonymousPolicy);
    }

    public static void WriteActivateAnonymous(UaWriter writer, uint handle, (NodeId Token, string PolicyId, TimeSpan Timeout) request)
    {
        RequestHeader.Write(writer, ServiceIds.ActivateSessionRequest, request.Token, handle, request.Timeout);
        WriteNullSignature(writer);
        writer.WriteInt32(-1);
        writer.WriteInt32(-1);

        // AnonymousIdentityToken as a binary ExtensionObject: its only field is the PolicyId.
        NodeIdCodec.Write(writer, new NodeId(0, ServiceIds.AnonymousIdentityToken));
        writer.WriteByte(1);
        var lengthAt = writer.Reserve(4);
        var start = writer.Position;
        writer.WriteString(request.PolicyId);
        writer.PatchUInt32(lengthAt, (uint)(writer.Position - start));
        WriteNullSignature(writer);
    }

    public static void ReadActivate(ReadOnlySpan<byte> body)
    {
        var reader = new UaReader(body);
        ResponseHeader.Read(ref reader, ServiceIds.ActivateSessionResponse, "ActivateSession");
    }

    public static void WriteClose(UaWriter writer, uint handle, (NodeId Token, TimeSpan Timeout) request)
    {
        RequestHeader.Write(writer, ServiceIds.CloseSessionRequest, request.Token, handle, request.Timeout);
        writer.WriteBoolean(true);
    }

    public static void ReadClose(ReadOnlySpan<byte> body)
    {
        var reader = new UaReader(body);
        ResponseHeader.Read(ref reader, ServiceIds.CloseSessionResponse, "CloseSession");
    }

    private static void WriteNullSignature(UaWriter writer)
    {
        writer.WriteString(null);
        writer.WriteNullByteString();
    }

    /// <summary>Reads one EndpointDescription; returns the anonymous token policy id when it is a None/None endpoint.</summary>
    private static string? ReadEndpointAnonymousPolicy(ref UaReader reader)
    {
        reader.SkipByteString();
        SkipApplicationDescription(ref reader);
        reader.SkipByteString();
        var mode = reader.ReadUInt32();
        var policyUri = reader.ReadString();
        string? anonymous = null;
        var tokens = reader.ReadLength();
        for (var i = 0; i < tokens; i++)
        {
            var policyId = reader.ReadString();
            var tokenType = reader.ReadUInt32();
            reader.SkipByteString();
            reader.SkipByteString();
            reader.SkipByteString();
            if (tokenType == UserTokenAnonymous)
            {
                anonymous ??= policyId ?? string.Empty;
            }
        }

        reader.SkipByteString();
        reader.ReadByte();
        var isNone = mode == SecurityModeNone && string.Equals(policyUri, SecureChannelMessages.NonePolicyUri, StringComparison.Ordinal);
        return isNone ? anonymous : null;
    }

    private static void SkipApplicationDescription(ref UaReader reader)
    {
        reader.SkipByteString();
        reader.SkipByteString();
        StructureCodec.ReadLocalizedText(ref reader);
        reader.ReadUInt32();
        reader.SkipByteString();
        reader.SkipByteString();
        var urls = reader.ReadLength();
        for (var i = 0; i < urls; i++)
        {
            reader.SkipByteString();
        }
    }
}
