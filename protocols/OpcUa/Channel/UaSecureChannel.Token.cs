using EdgePartition.OpcUa.Security;
using EdgePartition.OpcUa.Services;

namespace EdgePartition.OpcUa.Channel;

/// <summary>
/// The SecureChannel token: OPN Issue when opening, OPN Renew at 75 % of the revised lifetime (Part 4 §5.5.2.1).
/// Each token has its own keys, derived from a fresh client nonce and the server nonce of its OPN response. The
/// receive loop installs the server's new keys as soon as the response arrives (ApplyOpenResponse), keeping the old
/// token's keys until the server sends under the new one; sending switches to the new token when the renewal completes.
/// </summary>
internal sealed partial class UaSecureChannel
{
    private byte[] _clientNonce = [];
    private SymmetricKeys? _sendKeys;
    private SymmetricKeys? _nextSendKeys;
    private uint _nextTokenId;

    private async Task<ChannelToken> OpenTokenAsync(bool renew, CancellationToken cancellationToken)
    {
        var nonce = _security.NewNonce();
        Volatile.Write(ref _clientNonce, nonce);
        var body = await ExchangeAsync(
            OpenType,
            renew ? "OpenSecureChannel(Renew)" : "OpenSecureChannel",
            static (writer, handle, state) => SecureChannelMessages.WriteOpenRequest(
                writer, state.Renew, handle, RequestedLifetime, TimeSpan.FromSeconds(10), (uint)state.Mode, state.Nonce),
            (Renew: renew, Mode: _security.IsSecure ? _security.Mode : Types.MessageSecurityMode.None, Nonce: _security.IsSecure ? nonce : null),
            cancellationToken).ConfigureAwait(false);
        var token = SecureChannelMessages.ReadOpenResponse(body);
        if (token.ChannelId == 0 || (_channelId != 0 && token.ChannelId != _channelId))
        {
            throw OpcUaProtocolException.Malformed($"OpenSecureChannel returned channel id {token.ChannelId}");
        }

        // Later chunks carry the new token and its keys; the server accepts the old one until it sees the new.
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        _channelId = token.ChannelId;
        Volatile.Write(ref _tokenId, token.TokenId);
        if (_security.IsSecure)
        {
            var next = Interlocked.Exchange(ref _nextSendKeys, null);
            if (next is null || _nextTokenId != token.TokenId)
            {
                _sendLock.Release();
                throw OpcUaProtocolException.Malformed("OpenSecureChannel response arrived without keys for its token");
            }

            var old = _sendKeys;
            _sendKeys = next;
            old?.Dispose();
        }

        _sendLock.Release();
        return token;
    }

    /// <summary>
    /// Called by the receive loop for a complete OPN response, before the waiting request sees it: derives the new
    /// token's keys (client keys from secret = server nonce, seed = client nonce; server keys the reverse) and makes
    /// the server's the receiving keys of that token. A ServiceFault or garbage is left for the request to report.
    /// </summary>
    private void ApplyOpenResponse(ReadOnlySpan<byte> body)
    {
        ChannelToken token;
        byte[]? serverNonce;
        try
        {
            token = SecureChannelMessages.ReadOpenResponse(body, out serverNonce);
        }
        catch (OpcUaProtocolException)
        {
            return;
        }

        if (!_security.IsSecure)
        {
            InstallReceiveToken(token.TokenId, null);
            return;
        }

        var clientNonce = Volatile.Read(ref _clientNonce);
        if (serverNonce is null || serverNonce.Length != _security.Policy.NonceLength)
        {
            throw ChannelSecurity.Failure(
                Types.StatusCodes.BadNonceInvalid, $"the server nonce has {serverNonce?.Length ?? 0} bytes, {_security.Policy.Name} needs {_security.Policy.NonceLength}");
        }

        var clientKeys = SymmetricKeys.Derive(_security.Policy, serverNonce, clientNonce);
        var serverKeys = SymmetricKeys.Derive(_security.Policy, clientNonce, serverNonce);
        _nextTokenId = token.TokenId;
        Interlocked.Exchange(ref _nextSendKeys, clientKeys)?.Dispose();
        InstallReceiveToken(token.TokenId, serverKeys);
    }

    private async Task RenewLoopAsync(TimeSpan lifetime)
    {
        try
        {
            while (true)
            {
                var wait = TimeSpan.FromMilliseconds(Math.Max(lifetime.TotalMilliseconds * 0.75, 1000));
                await Task.Delay(wait, _time, _stop.Token).ConfigureAwait(false);
                lifetime = (await OpenTokenAsync(renew: true, _stop.Token).ConfigureAwait(false)).Lifetime;
            }
        }
        catch (OperationCanceledException)
        {
            // Channel closed.
        }
        catch (OpcUaProtocolException error)
        {
            FaultWith(new OpcUaProtocolException(ProtocolErrorReason.ConnectionClosed, $"token renewal failed: {error.Message}", error.StatusCode, error));
        }
    }

    private void DisposeKeys()
    {
        _sendKeys?.Dispose();
        _nextSendKeys?.Dispose();
        _receiveToken?.Keys?.Dispose();
        _previousReceiveToken?.Keys?.Dispose();
        if (_security != ChannelSecurity.None)
        {
            _security.Dispose();
        }
    }
}
