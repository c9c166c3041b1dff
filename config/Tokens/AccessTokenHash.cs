using System.Security.Cryptography;
using System.Text;

namespace EdgePartition.Config;

/// <summary>
/// How a token's text becomes what the tokens file stores: SHA-256 of its UTF-8 bytes. Tokens are 256-bit random
/// values, so a fast hash is enough (nothing to brute-force) and a slow password hash would cost every request.
/// </summary>
public static class AccessTokenHash
{
    /// <summary>Random bytes in a fresh token.</summary>
    public const int TokenBytes = 32;

    /// <summary>Every token starts with this, so a leaked one is easy to recognise in a scan.</summary>
    public const string Prefix = "ept_";

    public static byte[] Compute(ReadOnlySpan<char> token)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(token.Length, 512))];
        if (token.Length > 512)
        {
            return SHA256.HashData(Encoding.UTF8.GetBytes(token.ToString()));
        }

        var length = Encoding.UTF8.GetBytes(token, utf8);
        return SHA256.HashData(utf8[..length]);
    }

    /// <summary>A fresh token: the prefix and 256 random bits, base64url.</summary>
    public static string NewToken() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
