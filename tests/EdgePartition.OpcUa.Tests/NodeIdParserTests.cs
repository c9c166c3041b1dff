using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

public sealed class NodeIdParserTests
{
    [Fact]
    public void ParsesEveryIdentifierType()
    {
        Assert.Equal(new NodeId(2, "x"), NodeId.Parse("ns=2;s=x"));
        Assert.Equal(new NodeId(2, 15u), NodeId.Parse("ns=2;i=15"));
        Assert.Equal(new NodeId(0, 2258u), NodeId.Parse("i=2258"));
        Assert.Equal(new NodeId(3, Guid.Parse("72962b91-fa75-4ae6-8d28-b404dc7daf63")), NodeId.Parse("ns=3;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63"));
        Assert.Equal(new NodeId(1, [1, 2, 3]), NodeId.Parse("ns=1;b=AQID"));
    }

    [Fact]
    public void StringIdentifierKeepsSemicolonsAndEquals() =>
        Assert.Equal("a;b=c", NodeId.Parse("ns=4;s=a;b=c").Text);

    [Fact]
    public void TextFormRoundTrips()
    {
        foreach (var text in new[] { "ns=2;s=Line1.Speed", "i=85", "ns=7;i=4294967295", "ns=1;b=AQID", "ns=3;g=72962b91-fa75-4ae6-8d28-b404dc7daf63" })
        {
            Assert.Equal(text, NodeId.Parse(text).ToString());
        }
    }

    [Theory]
    [InlineData("", "expected an identifier")]
    [InlineData("ns=2", "'ns=' must be followed")]
    [InlineData("ns=70000;i=1", "namespace index '70000'")]
    [InlineData("ns=x;i=1", "namespace index 'x'")]
    [InlineData("i=-1", "numeric identifier '-1'")]
    [InlineData("i=99999999999", "numeric identifier")]
    [InlineData("ns=1;s=", "string identifier is empty")]
    [InlineData("ns=1;g=not-a-guid", "GUID identifier")]
    [InlineData("ns=1;b=!!", "opaque identifier")]
    [InlineData("ns=1;x=5", "unknown identifier type 'x='")]
    [InlineData("2258", "expected an identifier")]
    public void RejectsMalformedTextWithAClearReason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => NodeId.Parse(text));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }
}
