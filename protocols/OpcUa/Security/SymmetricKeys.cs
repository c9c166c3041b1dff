using System.Security.Cryptography;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// One direction's symmetric keys of a SecureChannel token (Part 6 §6.7.5, Table 49): signing key, encrypting key
/// and IV, sliced in that order from P_hash output. The client's keys (what it sends with) are derived with the
/// server nonce as secret and the client nonce as seed; the server's keys (what it receives with) the other way.
/// </summary>
public sealed class SymmetricKeys : IDisposable
{
    private readonly SecurityPolicy _policy;
    private readonly byte[] _signingKey;
    private readonly byte[] _iv;
    private readonly Aes _aes;

    private SymmetricKeys(SecurityPolicy policy, byte[] material)
    {
        _policy = policy;
        _signingKey = material[..policy.SigningKeyLength];
        var encrypting = material[policy.SigningKeyLength..(policy.SigningKeyLength + policy.EncryptingKeyLength)];
        _iv = material[(policy.SigningKeyLength + policy.EncryptingKeyLength)..];
        _aes = Aes.Create();
        _aes.Key = encrypting;
    }

    internal ReadOnlySpan<byte> SigningKey => _signingKey;

    internal ReadOnlySpan<byte> Iv => _iv;

    internal byte[] EncryptingKey => _aes.Key;

    public int SignatureSize => _policy.SymmetricSignatureSize;

    /// <summary>Derives the keys of whoever sends with them: secret is the other side's nonce, seed is its own.</summary>
    public static SymmetricKeys Derive(SecurityPolicy policy, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> seed)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var length = policy.SigningKeyLength + policy.EncryptingKeyLength + SecurityPolicy.SymmetricBlockSize;
        return new SymmetricKeys(policy, KeyDerivation.PHash(policy.DerivationHash, secret, seed, length));
    }

    public void Sign(ReadOnlySpan<byte> data, Span<byte> signature) => KeyDerivation.Mac(_policy.Hash, _signingKey, data, signature[..SignatureSize]);

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> expected = stackalloc byte[SignatureSize];
        Sign(data, expected);
        return signature.Length == SignatureSize && CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    /// <summary>AES-CBC without padding; <paramref name="plain"/> is a whole number of blocks.</summary>
    public void Encrypt(ReadOnlySpan<byte> plain, Span<byte> cipher) => _aes.EncryptCbc(plain, _iv, cipher, PaddingMode.None);

    public void Decrypt(ReadOnlySpan<byte> cipher, Span<byte> plain) => _aes.DecryptCbc(cipher, _iv, plain, PaddingMode.None);

    public void Dispose() => _aes.Dispose();
}
