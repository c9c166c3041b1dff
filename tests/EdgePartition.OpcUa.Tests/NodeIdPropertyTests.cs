using EdgePartition.OpcUa.Types;
using FsCheck;
using FsCheck.Fluent;

namespace EdgePartition.OpcUa.Tests;

/// <summary>The NodeId text form: where a bad one stops being one, and parse/format as properties.</summary>
public sealed class NodeIdPropertyTests
{
    [Theory]
    [InlineData("", 0, "expected an identifier")]
    [InlineData("Speed", 0, "expected an identifier")]
    [InlineData("ns=2;Speed", 5, "expected an identifier")]
    [InlineData("ns=2", 4, "'ns=' must be followed")]
    [InlineData("ns=70000;i=1", 3, "namespace index '70000'")]
    [InlineData("ns=2;i=abc", 7, "a numeric identifier must be 0..4294967295")]
    [InlineData("ns=2;s=", 7, "string identifier is empty")]
    [InlineData("ns=2;g=not-a-guid", 7, "is not a GUID")]
    [InlineData("ns=2;b=***", 7, "is not base64")]
    [InlineData("ns=2;x=1", 5, "identifier type must be i, s, g or b")]
    public void SaysWhereAndWhyTextIsNotANodeId(string text, int position, string reason)
    {
        Assert.False(NodeIdParser.TryParse(text, out _, out NodeIdError error));

        Assert.Equal(position, error.Position);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryNodeIdSurvivesFormattingAndParsing()
    {
        var nodes =
            from ns in Gen.OneOf(Gen.Constant(0), Gen.Choose(0, ushort.MaxValue))
            from kind in Gen.Choose(0, 3)
            from numeric in Gen.Choose(0, int.MaxValue).Select(n => (uint)n * 2)
            from text in ArbMap.Default.ArbFor<string>().Generator.Where(s => !string.IsNullOrEmpty(s))
            from guid in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 16).Select(b => new Guid(b))
            from bytes in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Where(b => b.Length > 0)
            select kind switch
            {
                0 => new NodeId((ushort)ns, numeric),
                1 => new NodeId((ushort)ns, text),
                2 => new NodeId((ushort)ns, guid),
                _ => new NodeId((ushort)ns, bytes),
            };

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(nodes.ToArbitrary(), node =>
            NodeIdParser.TryParse(node.ToString(), out var parsed, out NodeIdError _) && parsed.Equals(node) && parsed.ToString() == node.ToString()));
    }

    [Fact]
    public void GarbageIsRejectedWithAReasonAndNeverThrowsAnythingElse()
    {
        var alphabet = "ns=;isgb0123456789-ABCDEF+/ \t%é".ToCharArray();
        var texts = Gen.OneOf(
            Gen.Elements(alphabet).ArrayOf().Select(chars => new string(chars)),
            ArbMap.Default.ArbFor<string>().Generator.Select(text => text ?? ""));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(texts.ToArbitrary(), text =>
        {
            if (NodeIdParser.TryParse(text, out var node, out NodeIdError error))
            {
                return NodeIdParser.Parse(node.ToString()).Equals(node);
            }

            var thrown = Assert.Throws<FormatException>(() => NodeIdParser.Parse(text));
            return error.Reason.Length > 0 && error.Position >= 0 && error.Position <= text.Length && thrown.Message.Contains(error.Reason, StringComparison.Ordinal);
        }));
    }
}
