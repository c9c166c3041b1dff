using EdgePartition.OpcUa.Channel;
using EdgePartition.OpcUa.Services;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Client;

public sealed partial class OpcUaClient
{
    /// <summary>Server.ServerStatus.State (i=2259): cheap to read, and a server shutting down says so there.</summary>
    private const uint ServerStateId = 2259;

    private CancellationTokenSource? _keepAliveStop;
    private Task _keepAlive = Task.CompletedTask;
    private long _lastActivity;

    /// <summary>
    /// How often an idle connection is checked: the option, else a third of the session timeout the server granted
    /// (so a check that fails still leaves time to re-activate before the session expires), never below 100 ms.
    /// </summary>
    public TimeSpan KeepAliveInterval
    {
        get
        {
            if (_options.KeepAliveInterval is { } fixedInterval)
            {
                return fixedInterval;
            }

            var third = RevisedSessionTimeout / 3;
            return third < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : third;
        }
    }

    private void MarkActivity() => Volatile.Write(ref _lastActivity, _options.TimeProvider.GetTimestamp());

    private void StartKeepAlive(UaSecureChannel channel)
    {
        _keepAliveStop = new CancellationTokenSource();
        var stop = _keepAliveStop.Token;
        var interval = KeepAliveInterval;
        _keepAlive = Task.Run(() => KeepAliveLoopAsync(channel, interval, stop), CancellationToken.None);
    }

    private async Task StopKeepAliveAsync()
    {
        var stop = _keepAliveStop;
        _keepAliveStop = null;
        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await _keepAlive.ConfigureAwait(false);
        stop.Dispose();
    }

    /// <summary>
    /// The connection's one periodic tick: when nothing came back for a whole interval it reads the server state;
    /// no answer within the request timeout (a dead server, or one whose traffic is silently dropped), a broken
    /// channel or a session the server forgot marks the connection lost and aborts the channel.
    /// </summary>
    private async Task KeepAliveLoopAsync(UaSecureChannel channel, TimeSpan interval, CancellationToken stop)
    {
        var nodes = new[] { new NodeId(0, ServerStateId) };
        var values = new DataValue[1];
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _options.TimeProvider, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_options.TimeProvider.GetElapsedTime(Volatile.Read(ref _lastActivity)) < interval)
            {
                continue;
            }

            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _options.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
            try
            {
                var request = new AttributeMessages.ReadRequest(AuthenticationToken, nodes, 0, 1, _options.RequestTimeout);
                AttributeMessages.ReadRead(await channel.RequestAsync("Read", AttributeMessages.WriteRead, request, linked.Token).ConfigureAwait(false), values);
                MarkActivity();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is OpcUaProtocolException or OperationCanceledException)
            {
                var failure = error as OpcUaProtocolException ?? new OpcUaProtocolException(
                    ProtocolErrorReason.Timeout, $"keep-alive: {_address} did not answer within {_options.RequestTimeout.TotalMilliseconds:0} ms", StatusCodes.BadTimeout, error);
                if (failure.Reason == ProtocolErrorReason.PeerRejected && !IsSessionGone(failure.StatusCode))
                {
                    MarkActivity();
                    continue;
                }

                ObserveFailure(failure);
                MarkLost(channel, failure, abort: true);
                return;
            }
        }
    }
}
