using EdgePartition.Config;

namespace EdgePartition.Cli.Tests;

/// <summary>`edgepart token new` as an operator runs it: a token printed once, and its line for the tokens file.</summary>
public sealed class TokenCommandTests
{
    [Fact]
    public async Task PrintsAFreshTokenAndTheLineThatAcceptsIt()
    {
        var (first, firstLine) = await NewTokenAsync("alice", "--role", "write", "--scope", "plc1/Setpoint*", "--scope", "plc2/*");
        var (second, _) = await NewTokenAsync("bob");
        Assert.NotEqual(first, second);
        Assert.StartsWith(AccessTokenHash.Prefix, first, StringComparison.Ordinal);
        Assert.True(first.Length >= AccessTokenHash.Prefix.Length + 43, "256 bits in base64url");
        Assert.DoesNotContain(first, firstLine, StringComparison.Ordinal);

        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, [firstLine]);
            var problems = new List<string>();
            var tokens = TokenFileFormat.Parse(file, 10, (at, message) => problems.Add($"{at}: {message}"));
            Assert.Empty(problems);
            var entry = Assert.Single(tokens.Tokens);
            Assert.Equal("alice", entry.Name);
            Assert.Equal(AccessTokenRole.Write, entry.Role);
            Assert.Equal(["plc1/Setpoint*", "plc2/*"], entry.Scopes);
            Assert.Equal(AccessTokenHash.Compute(first), entry.Sha256);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("bad name", "--role", "write")]
    [InlineData("carol", "--role", "read", "--scope", "plc1/x")]
    [InlineData("carol", "--role", "write", "--scope", "noslash")]
    public async Task RefusesBadNamesAndScopes(params string[] args)
    {
        await using var process = EdgepartProcess.Start(["token", "new", .. args]);
        Assert.NotEqual(0, await process.WaitForExitAsync(TestTimeouts.Process));
        Assert.DoesNotContain(AccessTokenHash.Prefix, process.Output, StringComparison.Ordinal);
    }

    private static async Task<(string Token, string Line)> NewTokenAsync(string name, params string[] options)
    {
        await using var process = EdgepartProcess.Start(["token", "new", name, .. options]);
        Assert.Equal(0, await process.WaitForExitAsync(TestTimeouts.Process));
        var lines = process.Lines.Where(l => l.Stream == OutputStream.StandardOutput).Select(l => l.Text).ToList();
        var token = lines.Single(l => l.StartsWith("token ", StringComparison.Ordinal)).Split(": ")[1].Trim();
        var line = lines.Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return (token, line);
    }
}
