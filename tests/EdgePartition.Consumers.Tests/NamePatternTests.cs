using EdgePartition.Config;

namespace EdgePartition.Consumers.Tests;

public sealed class NamePatternTests
{
    [Theory]
    [InlineData(null, "anything", true)]
    [InlineData("", "anything", true)]
    [InlineData("*", "anything", true)]
    [InlineData("DB1.*", "DB1.speed", true)]
    [InlineData("DB1.*", "DB10.speed", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("x,y*", "yes", true)]
    [InlineData(" x , y ", "y", true)]
    [InlineData("*a*b*c*", "xxaxxbxxc", true)]
    [InlineData("*a*b*c*", "xxaxxcxxb", false)]
    [InlineData("Speed", "speed", false)]
    public void MatchesGlobsOrdinally(string? pattern, string name, bool expected)
    {
        Assert.True(NamePattern.TryParse(pattern, out var parsed, out _));
        Assert.Equal(expected, parsed.IsMatch(name));
    }

    [Fact]
    public void PathologicalPatternStaysLinear()
    {
        Assert.True(NamePattern.TryParse(string.Concat(Enumerable.Repeat("*a", 200)) + "b", out var pattern, out _));
        Assert.False(pattern.IsMatch(new string('a', 1000)));
    }

    [Theory]
    [InlineData("a\u0001")]
    [InlineData("x\n")]
    public void RejectsControlCharacters(string pattern) => Assert.False(NamePattern.TryParse(pattern, out _, out _));

    [Fact]
    public void RejectsTooLongAndTooMany()
    {
        Assert.False(NamePattern.TryParse(new string('a', NamePattern.MaxTextLength + 1), out _, out _));
        Assert.False(NamePattern.TryParse(string.Join(',', Enumerable.Range(0, NamePattern.MaxPatterns + 1)), out _, out var error));
        Assert.Contains("patterns", error);
    }
}
