using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>
/// CreateSession, ActivateSession and CloseSession with every field (Part 4 §5.6.2-4): what the secured client will
/// need (server nonce, certificate, signature, endpoints, max request size) is decoded, not skipped.
/// </summary>
internal static class SessionServiceMessages
{
    public static readonly RequestMessage<CreateSessionRequest> CreateRequestCodec = new(
        ServiceIds.CreateSessionRequest,
        "CreateSession",
        static (w, r) =>
        {
            DiscoveryStructureCodec.WriteApplication(w, r.ClientDescription);
            w.WriteString(r.ServerUri);
            w.WriteString(r.EndpointUrl);
            w.WriteString(r.SessionName);
            w.WriteNullableByteString(r.ClientNonce);
            w.WriteNullableByteString(r.ClientCertificate);
            w.WriteDouble(r.RequestedSessionTimeout);
            w.WriteUInt32(r.MaxResponseMessageSize);
        },
        static (ref UaReader r) => new CreateSessionRequest(
            DiscoveryStructureCodec.ReadApplication(ref r), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadByteString(), r.ReadByteString(), r.ReadDouble(), r.ReadUInt32()));

    public static readonly ResponseMessage<CreateSessionResponse> CreateResponseCodec = new(
        ServiceIds.CreateSessionResponse,
        "CreateSession",
        static (w, r) =>
        {
            NodeIdCodec.Write(w, r.SessionId);
            NodeIdCodec.Write(w, r.AuthenticationToken);
            w.WriteDouble(r.RevisedSessionTimeout);
            w.WriteNullableByteString(r.ServerNonce);
            w.WriteNullableByteString(r.ServerCertificate);
            ArrayCodec.Write(w, r.ServerEndpoints, DiscoveryStructureCodec.WriteEndpoint);
            ArrayCodec.Write(w, r.ServerSoftwareCertificates, WriteSignature);
            WriteSignature(w, r.ServerSignature);
            w.WriteUInt32(r.MaxRequestMessageSize);
        },
        static (ref UaReader r) => new CreateSessionResponse(
            NodeIdCodec.Read(ref r),
            NodeIdCodec.Read(ref r),
            r.ReadDouble(),
            r.ReadByteString(),
            r.ReadByteString(),
            ArrayCodec.Read(ref r, DiscoveryStructureCodec.ReadEndpoint, 40),
            ArrayCodec.Read(ref r, ReadSignature, 8),
            ReadSignature(ref r),
            r.ReadUInt32()));

    public static readonly RequestMessage<ActivateSessionRequest> ActivateRequestCodec = new(
        ServiceIds.ActivateSessionRequest,
        "ActivateSession",
        static (w, r) =>
        {
            WriteSignature(w, r.ClientSignature);
            ArrayCodec.Write(w, r.ClientSoftwareCertificates, WriteSignature);
            ArrayCodec.WriteStrings(w, r.LocaleIds);
            StructureCodec.WriteExtensionObject(w, r.UserIdentityToken);
            WriteSignature(w, r.UserTokenSignature);
        },
        static (ref UaReader r) => new ActivateSessionRequest(
            ReadSignature(ref r), ArrayCodec.Read(ref r, ReadSignature, 8), ArrayCodec.ReadStrings(ref r), StructureCodec.ReadExtensionObject(ref r), ReadSignature(ref r)));

    public static readonly ResponseMessage<ActivateSessionResponse> ActivateResponseCodec = new(
        ServiceIds.ActivateSessionResponse,
        "ActivateSession",
        static (w, r) =>
        {
            w.WriteNullableByteString(r.ServerNonce);
            ArrayCodec.WriteUInt32s(w, r.Results);
            DiagnosticInfoCodec.WriteArray(w, r.DiagnosticInfos);
        },
        static (ref UaReader r) => new ActivateSessionResponse(r.ReadByteString(), ArrayCodec.ReadUInt32s(ref r), DiagnosticInfoCodec.ReadArray(ref r)));

    /// <summary>CloseSession's only field: whether the server deletes the session's subscriptions (false keeps them for a transfer).</summary>
    public static readonly RequestMessage<bool> CloseRequestCodec = new(
        ServiceIds.CloseSessionRequest, "CloseSession", static (w, r) => w.WriteBoolean(r), static (ref UaReader r) => r.ReadBoolean());

    public static readonly ResponseMessage<NoFields> CloseResponseCodec = new(
        ServiceIds.CloseSessionResponse, "CloseSession", NoFields.Write, NoFields.Read);

    /// <summary>
    /// SignatureData (Part 4 §7.32: algorithm URI + signature) and SignedSoftwareCertificate (§7.33: certificate +
    /// signature) have the same two-field layout, a String or ByteString then a ByteString.
    /// </summary>
    private static void WriteSignature(UaWriter writer, SignatureData value)
    {
        writer.WriteString(value.Algorithm);
        writer.WriteNullableByteString(value.Signature);
    }

    private static SignatureData ReadSignature(ref UaReader reader) => new(reader.ReadString(), reader.ReadByteString());

    /// <summary>An algorithm URI (or a software certificate) and a signature; both null when the channel is not signed.</summary>
    public sealed record SignatureData(string? Algorithm, byte[]? Signature)
    {
        public static SignatureData None { get; } = new(null, null);
    }

    public sealed record CreateSessionRequest(
        ApplicationDescription ClientDescription,
        string? ServerUri,
        string? EndpointUrl,
        string? SessionName,
        byte[]? ClientNonce,
        byte[]? ClientCertificate,
        double RequestedSessionTimeout,
        uint MaxResponseMessageSize);

    public sealed record CreateSessionResponse(
        NodeId SessionId,
        NodeId AuthenticationToken,
        double RevisedSessionTimeout,
        byte[]? ServerNonce,
        byte[]? ServerCertificate,
        EndpointDescription[] ServerEndpoints,
        SignatureData[] ServerSoftwareCertificates,
        SignatureData ServerSignature,
        uint MaxRequestMessageSize);

    public sealed record ActivateSessionRequest(
        SignatureData ClientSignature, SignatureData[] ClientSoftwareCertificates, string?[] LocaleIds, ExtensionObject UserIdentityToken, SignatureData UserTokenSignature);

    /// <summary>A new server nonce every time (the next ActivateSession signs it) and one result per software certificate.</summary>
    public sealed record ActivateSessionResponse(byte[]? ServerNonce, uint[] Results, DiagnosticInfo[] DiagnosticInfos);
}
