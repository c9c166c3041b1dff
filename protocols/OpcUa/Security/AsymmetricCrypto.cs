using System.Security.Cryptography;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// RSA signatures and block-wise encryption as a policy prescribes (Part 6 §6.7.4 for OPN, Part 4 §5.6 for session
/// signatures and user tokens): the ciphertext is a sequence of key-sized blocks, each one plaintext block encrypted.
/// </summary>
public static class AsymmetricCrypto
{
    public static byte[] Sign(SecurityPolicy policy, RSA key, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(key);
        return key.SignData(data, policy.Hash, policy.AsymmetricSignaturePadding!);
    }

    public static void Sign(SecurityPolicy policy, RSA key, ReadOnlySpan<byte> data, Span<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(key);
        if (!key.TrySignData(data, signature, policy.Hash, policy.AsymmetricSignaturePadding!, out var written) || written != signature.Length)
        {
            throw new CryptographicException($"the {policy.Name} signature does not fit {signature.Length} bytes");
        }
    }

    public static bool Verify(SecurityPolicy policy, RSA key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(key);
        return key.VerifyData(data, signature, policy.Hash, policy.AsymmetricSignaturePadding!);
    }

    /// <summary>The size of <paramref name="plainLength"/> bytes once encrypted for a key of <paramref name="keyBytes"/>.</summary>
    public static int EncryptedSize(SecurityPolicy policy, int keyBytes, int plainLength)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var block = policy.AsymmetricPlainBlockSize(keyBytes);
        return (plainLength + block - 1) / block * keyBytes;
    }

    /// <summary>Encrypts block by block; returns the bytes written to <paramref name="cipher"/>.</summary>
    public static int Encrypt(SecurityPolicy policy, RSA key, ReadOnlySpan<byte> plain, Span<byte> cipher)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(key);
        var keyBytes = key.KeySize / 8;
        var block = policy.AsymmetricPlainBlockSize(keyBytes);
        var written = 0;
        for (var offset = 0; offset < plain.Length; offset += block)
        {
            var piece = plain.Slice(offset, Math.Min(block, plain.Length - offset));
            written += key.Encrypt(piece, cipher[written..], policy.AsymmetricEncryptionPadding!);
        }

        return written;
    }

    public static byte[] Encrypt(SecurityPolicy policy, RSA key, ReadOnlySpan<byte> plain)
    {
        ArgumentNullException.ThrowIfNull(key);
        var cipher = new byte[EncryptedSize(policy, key.KeySize / 8, plain.Length)];
        Encrypt(policy, key, plain, cipher);
        return cipher;
    }

    /// <summary>Decrypts key-sized blocks; returns the plaintext length. Throws <see cref="CryptographicException"/> on a bad block.</summary>
    public static int Decrypt(SecurityPolicy policy, RSA key, ReadOnlySpan<byte> cipher, Span<byte> plain)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(key);
        var keyBytes = key.KeySize / 8;
        if (cipher.Length % keyBytes != 0)
        {
            throw new CryptographicException($"{cipher.Length} encrypted bytes are not a whole number of {keyBytes}-byte blocks");
        }

        var written = 0;
        for (var offset = 0; offset < cipher.Length; offset += keyBytes)
        {
            written += key.Decrypt(cipher.Slice(offset, keyBytes), plain[written..], policy.AsymmetricEncryptionPadding!);
        }

        return written;
    }
}
