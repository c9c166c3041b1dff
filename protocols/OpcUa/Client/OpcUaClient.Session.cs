using EdgePartition.OpcUa.Channel;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client;

public sealed partial class OpcUaClient
{
    private const uint NamespaceArrayId = 2255;

    /// <summary>
    /// Puts a session on a freshly opened channel (Part 4 §6.7): ActivateSession on the existing one when there is
    /// one the server may still hold, else CreateSession + ActivateSession. Both carry the security of the channel
    /// (our signature over the server's certificate and latest nonce, the user token).
    /// </summary>
    private async Task<SessionRecovery> OpenSessionAsync(UaSecureChannel channel, SessionSecurity security, CancellationToken cancellationToken)
    {
        if (_session is { Gone: false } previous)
        {
            try
            {
                var nonce = await ActivateSessionAsync(channel, security, previous.Secured, cancellationToken).ConfigureAwait(false);
                _session = previous with { Secured = previous.Secured with { ServerNonce = nonce ?? previous.Secured.ServerNonce } };
                return SessionRecovery.Reactivated;
            }
            catch (OpcUaProtocolException error) when (error.Reason == ProtocolErrorReason.PeerRejected)
            {
                // The server answered but no longer has (or no longer accepts) the session: it is gone, nothing to close.
            }
        }

        var hadSession = _session is not null;
        _session = null;
        var created = await CreateSessionAsync(channel, security, cancellationToken).ConfigureAwait(false);
        byte[]? activatedNonce;
        try
        {
            activatedNonce = await ActivateSessionAsync(channel, security, created, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A created but never activated session would hold a server slot until its timeout: close it now.
            await CloseSessionAsync(channel, created.AuthenticationToken).ConfigureAwait(false);
            throw;
        }

        _session = new SessionHandle(created with { ServerNonce = activatedNonce ?? created.ServerNonce }, Gone: false);
        _limits = OperationLimits.Unlimited;
        return hadSession ? SessionRecovery.Replaced : SessionRecovery.Created;
    }

    /// <summary>Best effort: the session dies with its timeout on the server if this does not get through.</summary>
    private async Task CloseSessionAsync(UaSecureChannel channel, NodeId token)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _options.TimeProvider);
            SessionMessages.ReadClose(await channel.RequestAsync(
                "CloseSession", SessionMessages.WriteClose, (token, _options.RequestTimeout), timeout.Token).ConfigureAwait(false));
        }
        catch (Exception error) when (error is OpcUaProtocolException or OperationCanceledException)
        {
            // Nothing more to do: the server drops it after the session timeout.
        }
    }

    /// <summary>
    /// Reads what the client needs to know of the server for this session: the namespace array every time (it may
    /// have changed across a server restart) and, for a new session, the operation limits.
    /// </summary>
    private async Task ReadSessionFactsAsync(UaSecureChannel channel, SessionRecovery recovery, CancellationToken cancellationToken)
    {
        var withLimits = recovery != SessionRecovery.Reactivated || ReferenceEquals(_limits, OperationLimits.Unlimited);
        var nodes = new NodeId[withLimits ? 1 + OperationLimits.VariableIds.Length : 1];
        nodes[0] = new NodeId(0, NamespaceArrayId);
        for (var i = 1; i < nodes.Length; i++)
        {
            nodes[i] = new NodeId(0, OperationLimits.VariableIds[i - 1]);
        }

        var values = new DataValue[nodes.Length];
        var request = new AttributeMessages.ReadRequest(AuthenticationToken, nodes, 0, nodes.Length, _options.RequestTimeout);
        AttributeMessages.ReadRead(await channel.RequestAsync("Read", AttributeMessages.WriteRead, request, cancellationToken).ConfigureAwait(false), values);
        if (values[0].StatusCode == StatusCodes.Good && values[0].Value.Reference is string?[] uris)
        {
            _namespaces = new NamespaceTable([.. uris.Select(uri => uri ?? string.Empty)]);
        }

        if (withLimits)
        {
            _limits = new OperationLimits(Limit(values[1]), Limit(values[2]), Limit(values[3]), Limit(values[4]), Limit(values[5]), Limit(values[6]));
        }
    }

    /// <summary>A limit variable's value; a server without the variable (bad status) sets no limit.</summary>
    private static uint Limit(DataValue value) =>
        StatusCodes.IsGood(value.StatusCode) && value.Value.Reference is null && !value.Value.IsArray ? (uint)Math.Min(value.Value.AsUInt64(), uint.MaxValue) : 0;

    /// <summary>The session the client holds, across channels, until <see cref="DisconnectAsync"/>; Gone once the server said it no longer knows it.</summary>
    private sealed record SessionHandle(SecuredSession Secured, bool Gone)
    {
        public NodeId AuthenticationToken => Secured.AuthenticationToken;

        public TimeSpan Timeout => Secured.RevisedTimeout;
    }
}
