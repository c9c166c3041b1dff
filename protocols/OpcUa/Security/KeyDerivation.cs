using System.Security.Cryptography;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// The TLS 1.2 PRF P_hash (RFC 5246 §5) that derives SecureChannel keys from the two nonces (Part 6 §6.7.5):
/// A(0) = seed, A(i) = HMAC(secret, A(i-1)), output = HMAC(secret, A(1) ‖ seed) ‖ HMAC(secret, A(2) ‖ seed) ‖ ...
/// </summary>
public static class KeyDerivation
{
    public static byte[] PHash(HashAlgorithmName hash, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> seed, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var hashSize = HashSize(hash);
        var output = new byte[length];
        var a = new byte[hashSize];
        var input = new byte[hashSize + seed.Length];
        var block = new byte[hashSize];
        Mac(hash, secret, seed, a);
        for (var offset = 0; offset < length; offset += hashSize)
        {
            a.CopyTo(input, 0);
            seed.CopyTo(input.AsSpan(hashSize));
            Mac(hash, secret, input, block);
            block.AsSpan(0, Math.Min(hashSize, length - offset)).CopyTo(output.AsSpan(offset));
            Mac(hash, secret, a, a);
        }

        return output;
    }

    internal static int HashSize(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA1 ? HMACSHA1.HashSizeInBytes : HMACSHA256.HashSizeInBytes;

    internal static void Mac(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (hash == HashAlgorithmName.SHA1)
        {
            HMACSHA1.HashData(key, data, destination);
        }
        else
        {
            HMACSHA256.HashData(key, data, destination);
        }
    }
}
