using System.Security.Cryptography;
using EdgePartition.Config;

namespace EdgePartition.Consumers.Security;

/// <summary>
/// The tokens an endpoint accepts, as SHA-256 hashes only: the tokens file's entries and the deprecated single
/// bearerToken (read, or read+write when the tokens file says so). A presented token is hashed and compared with
/// every entry in constant time, so neither the time taken nor an early exit tells which entry came close.
/// </summary>
public sealed class TokenStore
{
    private readonly (byte[] Hash, Caller Caller)[] _entries;

    public TokenStore(string? bearerToken, TokensConfig? tokens)
    {
        var entries = new List<(byte[], Caller)>();
        foreach (var entry in tokens?.Tokens ?? [])
        {
            entries.Add((entry.Sha256, new Caller(entry.Name, entry.Role, entry.Scopes)));
        }

        if (bearerToken is not null)
        {
            entries.Add((AccessTokenHash.Compute(bearerToken), new Caller(LegacyName, tokens?.BearerTokenRole ?? AccessTokenRole.Read, [])));
        }

        _entries = [.. entries];
        HasLegacyBearerToken = bearerToken is not null;
    }

    /// <summary>The caller name of the deprecated bearerToken in logs and the audit file.</summary>
    public const string LegacyName = "bearerToken";

    /// <summary>Whether any token is configured; without one every request is the read-only anonymous caller.</summary>
    public bool RequiresToken => _entries.Length > 0;

    public bool HasLegacyBearerToken { get; }

    /// <summary>The caller <paramref name="presented"/> belongs to, or null.</summary>
    public Caller? Find(ReadOnlySpan<char> presented)
    {
        var hash = AccessTokenHash.Compute(presented);
        Caller? found = null;
        foreach (var (expected, caller) in _entries)
        {
            // No early exit: every entry is compared whatever matched.
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                found ??= caller;
            }
        }

        return found;
    }
}
