using System.Security.Cryptography;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// The algorithms and sizes of one SecurityPolicy (Part 7 security policy profiles; Part 6 §6.1). Every policy the
/// client knows is one of the static instances; <see cref="Strength"/> orders them for <c>auto</c> endpoint choice.
/// </summary>
public sealed class SecurityPolicy
{
    public const string UriPrefix = "http://opcfoundation.org/UA/SecurityPolicy#";

    private const string RsaSha256Uri = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    private const string RsaSha1Uri = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    private const string RsaPssSha256Uri = "http://opcfoundation.org/UA/security/rsa-pss-sha2-256";
    private const string RsaOaepUri = "http://www.w3.org/2001/04/xmlenc#rsa-oaep";
    private const string RsaOaepSha256Uri = "http://opcfoundation.org/UA/security/rsa-oaep-sha2-256";
    private const string Rsa15Uri = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";

    public static SecurityPolicy None { get; } = new("None", 0, false, default, default, null, null, null, null, 0, 0, 0, 0, 0);

    public static SecurityPolicy Basic256Sha256 { get; } = new(
        "Basic256Sha256", 2, false, HashAlgorithmName.SHA256, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, RSAEncryptionPadding.OaepSHA1,
        RsaSha256Uri, RsaOaepUri, 42, 32, 32, 32, 32);

    public static SecurityPolicy Aes128Sha256RsaOaep { get; } = new(
        "Aes128_Sha256_RsaOaep", 3, false, HashAlgorithmName.SHA256, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, RSAEncryptionPadding.OaepSHA1,
        RsaSha256Uri, RsaOaepUri, 42, 32, 16, 32, 32);

    public static SecurityPolicy Aes256Sha256RsaPss { get; } = new(
        "Aes256_Sha256_RsaPss", 4, false, HashAlgorithmName.SHA256, HashAlgorithmName.SHA256, RSASignaturePadding.Pss, RSAEncryptionPadding.OaepSHA256,
        RsaPssSha256Uri, RsaOaepSha256Uri, 66, 32, 32, 32, 32);

    /// <summary>Deprecated (SHA-1, RSA PKCS#1 v1.5 encryption): only with the explicit allowDeprecated option.</summary>
    public static SecurityPolicy Basic128Rsa15 { get; } = new(
        "Basic128Rsa15", 1, true, HashAlgorithmName.SHA1, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1, RSAEncryptionPadding.Pkcs1,
        RsaSha1Uri, Rsa15Uri, 11, 16, 16, 16, 20);

    /// <summary>Deprecated (SHA-1 signatures): only with the explicit allowDeprecated option.</summary>
    public static SecurityPolicy Basic256 { get; } = new(
        "Basic256", 1, true, HashAlgorithmName.SHA1, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1, RSAEncryptionPadding.OaepSHA1,
        RsaSha1Uri, RsaOaepUri, 42, 24, 32, 32, 20);

    public static IReadOnlyList<SecurityPolicy> All { get; } = [None, Basic256Sha256, Aes128Sha256RsaOaep, Aes256Sha256RsaPss, Basic128Rsa15, Basic256];

    private SecurityPolicy(
        string name, int strength, bool deprecated, HashAlgorithmName hash, HashAlgorithmName derivationHash, RSASignaturePadding? signaturePadding,
        RSAEncryptionPadding? encryptionPadding, string? signatureUri, string? encryptionUri, int encryptionOverhead, int signingKeyLength,
        int encryptingKeyLength, int nonceLength, int symmetricSignatureSize)
    {
        Name = name;
        Uri = UriPrefix + name;
        Strength = strength;
        IsDeprecated = deprecated;
        Hash = hash;
        DerivationHash = derivationHash;
        AsymmetricSignaturePadding = signaturePadding;
        AsymmetricEncryptionPadding = encryptionPadding;
        AsymmetricSignatureUri = signatureUri;
        AsymmetricEncryptionUri = encryptionUri;
        AsymmetricEncryptionOverhead = encryptionOverhead;
        SigningKeyLength = signingKeyLength;
        EncryptingKeyLength = encryptingKeyLength;
        NonceLength = nonceLength;
        SymmetricSignatureSize = symmetricSignatureSize;
    }

    /// <summary>The name after '#' in the URI, as written in the config ("Basic256Sha256").</summary>
    public string Name { get; }

    public string Uri { get; }

    /// <summary>Higher is stronger; <c>auto</c> picks the strongest acceptable policy the server offers.</summary>
    public int Strength { get; }

    public bool IsDeprecated { get; }

    public bool IsNone => Strength == 0;

    /// <summary>The hash of asymmetric signatures and of HMAC (SHA-256, SHA-1 for the deprecated policies).</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>The hash of the key derivation PRF (P_SHA256, P_SHA1 for the deprecated policies; Part 6 §6.7.5).</summary>
    public HashAlgorithmName DerivationHash { get; }

    public RSASignaturePadding? AsymmetricSignaturePadding { get; }

    public RSAEncryptionPadding? AsymmetricEncryptionPadding { get; }

    /// <summary>The URI of the asymmetric signature algorithm (SignatureData.Algorithm in Create/ActivateSession).</summary>
    public string? AsymmetricSignatureUri { get; }

    /// <summary>The URI of the asymmetric encryption algorithm (UserNameIdentityToken.EncryptionAlgorithm).</summary>
    public string? AsymmetricEncryptionUri { get; }

    /// <summary>Bytes an RSA block loses to padding: key bytes minus this is the plaintext block size.</summary>
    public int AsymmetricEncryptionOverhead { get; }

    public int SigningKeyLength { get; }

    public int EncryptingKeyLength { get; }

    /// <summary>The SecureChannel nonce length (OPN client/server nonces).</summary>
    public int NonceLength { get; }

    /// <summary>HMAC size: 32 (SHA-256) or 20 (SHA-1).</summary>
    public int SymmetricSignatureSize { get; }

    /// <summary>AES block and IV size.</summary>
    public const int SymmetricBlockSize = 16;

    /// <summary>The policy with this URI or name ("Basic256Sha256"), or null when unknown.</summary>
    public static SecurityPolicy? Find(string? uriOrName)
    {
        if (string.IsNullOrEmpty(uriOrName))
        {
            return null;
        }

        foreach (var policy in All)
        {
            if (string.Equals(policy.Uri, uriOrName, StringComparison.Ordinal) || string.Equals(policy.Name, uriOrName, StringComparison.OrdinalIgnoreCase))
            {
                return policy;
            }
        }

        return null;
    }

    /// <summary>The plaintext block of an RSA key of <paramref name="keyBytes"/> under this policy's encryption padding.</summary>
    public int AsymmetricPlainBlockSize(int keyBytes) => keyBytes - AsymmetricEncryptionOverhead;

    public override string ToString() => Name;
}
