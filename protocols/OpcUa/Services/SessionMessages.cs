using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;
using static EdgePartition.OpcUa.Services.SessionServiceMessages;

namespace EdgePartition.OpcUa.Services;

/// <summary>What CreateSession returns that the client keeps (Part 4 §5.6.2).</summary>
internal sealed record CreatedSession(NodeId SessionId, NodeId AuthenticationToken, double RevisedTimeoutMs, string? AnonymousPolicyId);

/// <summary>
/// The anonymous, SecurityPolicy None session the client opens today, on top of the full CreateSession /
/// ActivateSession / CloseSession messages of <see cref="SessionServiceMessages"/>.
/// </summary>
internal static class SessionMessages
{
    public readonly record struct CreateRequest(string EndpointUrl, string SessionName, string ApplicationUri, double TimeoutMs, uint MaxResponseSize, TimeSpan Timeout);

    public static void WriteCreate(UaWriter writer, uint handle, CreateRequest request)
    {
        // Part 4 §5.6.2: the client nonce must be at least 32 bytes even when the channel is not secured.
        var nonce = new byte[32];
        System.Security.Cryptography.RandomNumberGenerator.Fill(nonce);
        var client = new ApplicationDescription(
            request.ApplicationUri, "urn:edgepartition", new LocalizedText(null, "EdgePartition collector"), ApplicationType.Client, null, null, []);
        CreateRequestCodec.Encode(writer, new RequestContext(NodeId.Null, handle, request.Timeout), new CreateSessionRequest(
            client, null, request.EndpointUrl, request.SessionName, nonce, null, request.TimeoutMs, request.MaxResponseSize));
    }

    public static CreatedSession ReadCreate(ReadOnlySpan<byte> body)
    {
        var response = CreateResponseCodec.Decode(body);
        return new CreatedSession(response.SessionId, response.AuthenticationToken, response.RevisedSessionTimeout, AnonymousPolicy(response.ServerEndpoints));
    }

    public static void WriteActivateAnonymous(UaWriter writer, uint handle, (NodeId Token, string PolicyId, TimeSpan Timeout) request)
    {
        // AnonymousIdentityToken (i=321) as a binary ExtensionObject: its only field is the PolicyId.
        var token = new UaWriter(64);
        token.WriteString(request.PolicyId);
        var identity = new ExtensionObject(new NodeId(0, ServiceIds.AnonymousIdentityToken), ExtensionObject.BinaryBody, token.Written.ToArray());
        ActivateRequestCodec.Encode(writer, new RequestContext(request.Token, handle, request.Timeout),
            new ActivateSessionRequest(SignatureData.None, [], [], identity, SignatureData.None));
    }

    public static void ReadActivate(ReadOnlySpan<byte> body) => ActivateResponseCodec.Decode(body);

    public static void WriteClose(UaWriter writer, uint handle, (NodeId Token, TimeSpan Timeout) request) =>
        CloseRequestCodec.Encode(writer, new RequestContext(request.Token, handle, request.Timeout), true);

    public static void ReadClose(ReadOnlySpan<byte> body) => CloseResponseCodec.Decode(body);

    /// <summary>The anonymous token policy id of the first None/None endpoint (empty when the server gives none), else null.</summary>
    private static string? AnonymousPolicy(EndpointDescription[] endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint.SecurityMode != MessageSecurityMode.None
                || !string.Equals(endpoint.SecurityPolicyUri, SecureChannelMessages.NonePolicyUri, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var policy in endpoint.UserIdentityTokens)
            {
                if (policy.TokenType == UserTokenType.Anonymous)
                {
                    return policy.PolicyId ?? string.Empty;
                }
            }
        }

        return null;
    }
}
