using System.Net.Sockets;

namespace EdgePartition.Protocols.Tests;

public sealed class LinkFailureTests
{
    [Theory]
    [InlineData(ProtocolErrorReason.ConnectionFailed, true)]
    [InlineData(ProtocolErrorReason.ConnectionClosed, true)]
    [InlineData(ProtocolErrorReason.Timeout, true)]
    [InlineData(ProtocolErrorReason.NotConnected, true)]
    [InlineData(ProtocolErrorReason.MalformedFrame, true)]
    [InlineData(ProtocolErrorReason.UnexpectedReply, true)]
    [InlineData(ProtocolErrorReason.LimitExceeded, true)]
    [InlineData(ProtocolErrorReason.NegotiationFailed, true)]
    [InlineData(ProtocolErrorReason.RequestTooLarge, false)]
    [InlineData(ProtocolErrorReason.PeerRejected, false)]
    [InlineData(ProtocolErrorReason.AccessDenied, false)]
    [InlineData(ProtocolErrorReason.InvalidRequest, false)]
    [InlineData(ProtocolErrorReason.NotSupported, false)]
    public void ProtocolErrorsAreLinkDownByReason(ProtocolErrorReason reason, bool linkDown)
    {
        var error = new TestProtocolException(reason);
        Assert.Equal(linkDown, error.IsLinkDown);
        Assert.Equal(linkDown, LinkFailure.IsLinkDown(error));
    }

    [Fact]
    public void EveryReasonHasARule()
    {
        // A reason added later must be placed on one side on purpose: this lists the ones that are not link down.
        var notDown = Enum.GetValues<ProtocolErrorReason>().Where(r => !LinkFailure.IsLinkDown(r)).ToArray();
        Assert.Equal(
            [ProtocolErrorReason.RequestTooLarge, ProtocolErrorReason.PeerRejected, ProtocolErrorReason.AccessDenied,
             ProtocolErrorReason.InvalidRequest, ProtocolErrorReason.NotSupported],
            notDown);
    }

    [Fact]
    public void SocketStreamAndTimeoutErrorsAreLinkDownOthersAreNot()
    {
        Assert.True(LinkFailure.IsLinkDown(new SocketException((int)SocketError.ConnectionReset)));
        Assert.True(LinkFailure.IsLinkDown(new IOException("broken pipe")));
        Assert.True(LinkFailure.IsLinkDown(new EndOfStreamException()));
        Assert.True(LinkFailure.IsLinkDown(new TimeoutException()));
        Assert.False(LinkFailure.IsLinkDown(new ArgumentException("bad address")));
        Assert.False(LinkFailure.IsLinkDown(new OperationCanceledException()));
    }

    private sealed class TestProtocolException(ProtocolErrorReason reason) : ProtocolException(reason, reason.ToString(), 0, null);
}
