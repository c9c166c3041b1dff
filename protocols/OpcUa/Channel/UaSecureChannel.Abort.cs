namespace EdgePartition.OpcUa.Channel;

internal sealed partial class UaSecureChannel
{
    /// <summary>
    /// Fails the channel from outside (a keep-alive that got no answer): every waiting and later request fails with
    /// <paramref name="reason"/> and the socket is shut down, so a server that silently drops traffic is left at once.
    /// </summary>
    public void Abort(OpcUaProtocolException reason) => FaultWith(reason);
}
