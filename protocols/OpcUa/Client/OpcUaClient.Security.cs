using System.Security.Cryptography.X509Certificates;
using EdgePartition.OpcUa.Channel;
using EdgePartition.OpcUa.Security;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;
using static EdgePartition.OpcUa.Services.SessionServiceMessages;

namespace EdgePartition.OpcUa.Client;

/// <summary>
/// The session-level half of OPC UA security (issue 14): endpoint choice and server certificate validation before
/// the channel opens, CreateSession with our certificate and nonce (checking the server's nonce length, certificate
/// and signature), ActivateSession with our signature over the server's certificate and nonce and the user token.
/// </summary>
public sealed partial class OpcUaClient
{
    private const int SessionNonceLength = 32;
    private X509Certificate2? _clientCertificate;

    /// <summary>
    /// Decides how to secure the connection. For a secured policy (or <c>auto</c>) it asks the server's endpoints over a
    /// None channel, picks one, validates the server certificate against the PKI and loads (or creates) ours.
    /// </summary>
    private async Task<SessionSecurity> PrepareSecurityAsync(CancellationToken cancellationToken)
    {
        var requested = _options.SecurityPolicy;
        var auto = string.Equals(requested, EndpointSelection.Auto, StringComparison.OrdinalIgnoreCase);
        var policy = auto ? null : SecurityPolicy.Find(requested) ?? throw new OpcUaProtocolException(
            ProtocolErrorReason.InvalidRequest, $"unknown security policy '{requested}' (known: auto, {string.Join(", ", SecurityPolicy.All.Select(p => p.Name))})");
        if (policy is { IsDeprecated: true } && !_options.AllowDeprecatedPolicies)
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.InvalidRequest, $"security policy {policy.Name} is deprecated; set allowDeprecated to use it");
        }

        if (policy is { IsNone: true } && _options.SecurityMode is null or MessageSecurityMode.None)
        {
            return new SessionSecurity(SecurityPolicy.None, MessageSecurityMode.None, null, null);
        }

        var endpoints = await GetEndpointsAsync(cancellationToken).ConfigureAwait(false);
        var endpoint = EndpointSelection.Select(endpoints, policy, _options.SecurityMode, _options.AllowDeprecatedPolicies, _options.EndpointUrl);
        var chosen = SecurityPolicy.Find(endpoint.SecurityPolicyUri)!;
        if (chosen.IsNone)
        {
            return new SessionSecurity(chosen, MessageSecurityMode.None, endpoint, null);
        }

        if (endpoint.ServerCertificate is not { Length: > 0 } raw)
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.NotSupported, $"{_options.EndpointUrl} offers {chosen.Name} without a server certificate", StatusCodes.BadCertificateInvalid);
        }

        var server = LeafCertificate(raw);
        Validator().Validate(server, endpoint.Server.ApplicationUri, _address.Host);
        return new SessionSecurity(chosen, endpoint.SecurityMode, endpoint, server);
    }

    private async Task<EndpointDescription[]> GetEndpointsAsync(CancellationToken cancellationToken)
    {
        await using var discovery = await UaSecureChannel.OpenAsync(
            _address, _options.EndpointUrl, _options.TransportLimits, _options.ConnectTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        var body = await discovery.RequestAsync(
            "GetEndpoints",
            static (writer, handle, state) => DiscoveryMessages.GetEndpointsRequestCodec.Encode(
                writer, new RequestContext(NodeId.Null, handle, state.Timeout), new DiscoveryMessages.GetEndpointsRequest(state.Url, [], [])),
            (Url: _options.EndpointUrl, Timeout: _options.RequestTimeout),
            cancellationToken).ConfigureAwait(false);
        return DiscoveryMessages.GetEndpointsResponseCodec.Decode(body);
    }

    private CertificateValidator Validator()
    {
        var store = Pki();
        return new CertificateValidator(store, _options.TimeProvider)
        {
            AutoAcceptUntrusted = _options.AutoAcceptUntrustedCertificates,
            AutoAccepted = certificate => _options.SecurityLog?.Invoke(
                $"auto-accepted untrusted server certificate '{certificate.Subject}' (thumbprint {certificate.Thumbprint}) and added it to {store.TrustedCerts}"),
        };
    }

    private PkiStore Pki() => _options.Pki ?? new(_options.PkiFolder ?? throw new OpcUaProtocolException(
        ProtocolErrorReason.InvalidRequest, "a secured OPC UA connection needs a PKI folder (PkiFolder) for its certificates"));

    /// <summary>Our application instance certificate: the configured one, else own/ in the PKI (created on first use).</summary>
    private X509Certificate2 ClientCertificate()
    {
        if (_options.ClientCertificate is { } configured)
        {
            return configured;
        }

        if (_clientCertificate is null)
        {
            var (certificate, created) = ApplicationCertificate.LoadOrCreate(Pki(), _options.ApplicationUri, _options.PrivateKeyPassphrase);
            if (created)
            {
                _options.SecurityLog?.Invoke($"created application instance certificate '{certificate.Subject}' (thumbprint {certificate.Thumbprint}) in {Pki().OwnCerts}");
            }

            _clientCertificate = certificate;
        }

        return _clientCertificate;
    }

    /// <summary>What the channel is opened with; the channel owns (and disposes) it.</summary>
    private ChannelSecurity CreateChannelSecurity(SessionSecurity security) =>
        security.Policy.IsNone ? ChannelSecurity.None : new ChannelSecurity(security.Policy, security.Mode, ClientCertificate(), security.ServerCertificate);

    /// <summary>CreateSession with our certificate and nonce; checks what the server proves about itself.</summary>
    private async Task<SecuredSession> CreateSessionAsync(UaSecureChannel channel, SessionSecurity security, CancellationToken cancellationToken)
    {
        var nonce = new byte[SessionNonceLength];
        System.Security.Cryptography.RandomNumberGenerator.Fill(nonce);
        var clientCertificate = security.Policy.IsNone ? null : ClientCertificate().RawData;
        var description = new ApplicationDescription(
            _options.ApplicationUri, "urn:edgepartition", new LocalizedText(null, "EdgePartition collector"), ApplicationType.Client, null, null, []);
        var request = new CreateSessionRequest(
            description, null, _options.EndpointUrl, _options.SessionName, nonce, clientCertificate,
            _options.SessionTimeout.TotalMilliseconds, (uint)Math.Max(0, _options.TransportLimits.MaxMessageSize));
        var body = await channel.RequestAsync(
            "CreateSession",
            static (writer, handle, state) => CreateRequestCodec.Encode(writer, new RequestContext(NodeId.Null, handle, state.Timeout), state.Request),
            (Request: request, Timeout: _options.RequestTimeout),
            cancellationToken).ConfigureAwait(false);
        var response = CreateResponseCodec.Decode(body);
        var endpoint = security.Endpoint ?? MatchingEndpoint(response.ServerEndpoints, security);
        var serverCertificate = security.ServerCertificate
            ?? (response.ServerCertificate is { Length: > 0 } raw ? LeafCertificate(raw) : null);
        if (!security.Policy.IsNone)
        {
            CheckServerProof(security, response, clientCertificate!, nonce);
        }

        return new SecuredSession(
            response.SessionId, response.AuthenticationToken, TimeSpan.FromMilliseconds(response.RevisedSessionTimeout), response.ServerNonce, endpoint, serverCertificate);
    }

    private static void CheckServerProof(SessionSecurity security, CreateSessionResponse response, byte[] clientCertificate, byte[] clientNonce)
    {
        var server = security.ServerCertificate!;
        if (response.ServerNonce is null || response.ServerNonce.Length < SessionNonceLength)
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.AccessDenied,
                $"CreateSession: the server nonce has {response.ServerNonce?.Length ?? 0} bytes, at least {SessionNonceLength} are required", StatusCodes.BadNonceInvalid);
        }

        if (response.ServerCertificate is null || !response.ServerCertificate.AsSpan().StartsWith(server.RawData))
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.AccessDenied,
                "CreateSession: the server answered with another certificate than its endpoint's", StatusCodes.BadCertificateInvalid);
        }

        using var key = server.GetRSAPublicKey()!;
        var signature = response.ServerSignature.Signature;
        if (signature is null || !AsymmetricCrypto.Verify(security.Policy, key, IdentityTokens.Concat(clientCertificate, clientNonce), signature))
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.AccessDenied,
                "CreateSession: the server's signature over our certificate and nonce does not verify", StatusCodes.BadApplicationSignatureInvalid);
        }
    }

    /// <summary>
    /// ActivateSession with our signature over the server's certificate and nonce, and the user token; returns the new
    /// nonce the server sends (the next ActivateSession, on a reconnect, signs that one).
    /// </summary>
    private async Task<byte[]?> ActivateSessionAsync(UaSecureChannel channel, SessionSecurity security, SecuredSession session, CancellationToken cancellationToken)
    {
        var clientSignature = SignatureData.None;
        if (!security.Policy.IsNone)
        {
            using var key = ClientCertificate().GetRSAPrivateKey()!;
            clientSignature = new SignatureData(
                security.Policy.AsymmetricSignatureUri,
                AsymmetricCrypto.Sign(security.Policy, key, IdentityTokens.Concat(security.ServerCertificate!.RawData, session.ServerNonce)));
        }

        var identity = _options.Identity;
        var endpoint = session.Endpoint ?? throw new OpcUaProtocolException(
            ProtocolErrorReason.NotSupported, $"{_options.EndpointUrl} lists no endpoint for {security.Policy.Name}/{security.Mode} in CreateSession");
        var tokenPolicy = IdentityTokens.PolicyFor(endpoint, identity);
        var (token, tokenSignature) = IdentityTokens.Build(
            identity, tokenPolicy, security.Policy, security.Mode, session.ServerCertificate, session.ServerNonce);
        var request = new ActivateSessionRequest(clientSignature, [], [], token, tokenSignature);
        try
        {
            var body = await channel.RequestAsync(
                "ActivateSession",
                static (writer, handle, state) => ActivateRequestCodec.Encode(writer, new RequestContext(state.Token, handle, state.Timeout), state.Request),
                (Request: request, Token: session.AuthenticationToken, Timeout: _options.RequestTimeout),
                cancellationToken).ConfigureAwait(false);
            return ActivateResponseCodec.Decode(body).ServerNonce;
        }
        catch (OpcUaProtocolException error) when (error.StatusCode is StatusCodes.BadUserAccessDenied or StatusCodes.BadIdentityTokenInvalid or StatusCodes.BadIdentityTokenRejected)
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.AccessDenied,
                $"{_options.EndpointUrl} refused the login as {identity}: {StatusCodes.Describe(error.StatusCode)} (check the user name and password or certificate)",
                error.StatusCode, error);
        }
    }

    /// <summary>The endpoint of CreateSession's list that matches the channel (used for None, where GetEndpoints was skipped).</summary>
    private static EndpointDescription? MatchingEndpoint(EndpointDescription[] endpoints, SessionSecurity security)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint.SecurityMode == security.Mode && string.Equals(endpoint.SecurityPolicyUri, security.Policy.Uri, StringComparison.Ordinal))
            {
                return endpoint;
            }
        }

        return null;
    }

    /// <summary>The first certificate of a DER blob that may have the issuer chain appended.</summary>
    private static X509Certificate2 LeafCertificate(byte[] raw)
    {
        try
        {
            var reader = new System.Formats.Asn1.AsnReader(raw, System.Formats.Asn1.AsnEncodingRules.DER);
            return X509CertificateLoader.LoadCertificate(reader.ReadEncodedValue().Span);
        }
        catch (Exception error) when (error is System.Formats.Asn1.AsnContentException or System.Security.Cryptography.CryptographicException)
        {
            throw new OpcUaProtocolException(ProtocolErrorReason.AccessDenied, $"the server certificate is malformed: {error.Message}", StatusCodes.BadCertificateInvalid, error);
        }
    }

    /// <summary>How this connection is secured: policy, mode, the chosen endpoint and the validated server certificate.</summary>
    private sealed record SessionSecurity(SecurityPolicy Policy, MessageSecurityMode Mode, EndpointDescription? Endpoint, X509Certificate2? ServerCertificate);

    /// <summary>What CreateSession returned that ActivateSession needs.</summary>
    private sealed record SecuredSession(
        NodeId SessionId, NodeId AuthenticationToken, TimeSpan RevisedTimeout, byte[]? ServerNonce, EndpointDescription? Endpoint, X509Certificate2? ServerCertificate);
}
