using EdgePartition.OpcUa.Services;

namespace EdgePartition.OpcUa.Channel;

/// <summary>The SecureChannel token: OPN Issue when opening, OPN Renew at 75 % of the revised lifetime (Part 4 §5.5.2.1).</summary>
internal sealed partial class UaSecureChannel
{
    private async Task<ChannelToken> OpenTokenAsync(bool renew, CancellationToken cancellationToken)
    {
        var body = await ExchangeAsync(
            OpenType,
            renew ? "OpenSecureChannel(Renew)" : "OpenSecureChannel",
            static (writer, handle, renewing) => SecureChannelMessages.WriteOpenRequest(writer, renewing, handle, RequestedLifetime, TimeSpan.FromSeconds(10)),
            renew,
            cancellationToken).ConfigureAwait(false);
        var token = SecureChannelMessages.ReadOpenResponse(body);
        if (token.ChannelId == 0 || (_channelId != 0 && token.ChannelId != _channelId))
        {
            throw OpcUaProtocolException.Malformed($"OpenSecureChannel returned channel id {token.ChannelId}");
        }

        // Later chunks carry the new token; with policy None the server accepts both until the old one expires.
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        _channelId = token.ChannelId;
        Volatile.Write(ref _tokenId, token.TokenId);
        _sendLock.Release();
        return token;
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
}
